"""The home page of each role: which one a person lands on (choice.py), a trainer's (trainer.py) and an
admin's (staff.py). The learner's home is the dashboard of quizzes/views.py."""
