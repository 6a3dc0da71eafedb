"""Model layer of lecture 04 (numpy and stdlib only): nonlinear progress (:mod:`.progress`),
probabilistic plans (:mod:`.planner`), portfolio odds (:mod:`.portfolio`) and the SQLite
experiment log (:mod:`.explog`)."""
