"""Model layer of lecture 02 (no plotting): the content records (:mod:`.data`), the talent-gap
figures (:mod:`.talent`), the job-description checker (:mod:`.jobcheck`) and the interview-loop
designer (:mod:`.loop`)."""
