"""learnhub: a school learning platform (courses, assignments, quizzes, certificates, payouts)."""

__version__ = "0.9.4"
