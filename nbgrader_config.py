# nbgrader reads this file from the folder JupyterLab starts in (`make lab` starts at the repo
# root), so the Nbgrader menu, Formgrader and Create Assignment work on the exam/ course.
c = get_config()  # noqa: F821
load_subconfig("exam/nbgrader_config.py")  # noqa: F821
