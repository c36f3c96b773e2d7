"""Blind set 3 (written without running vetpy or reading its rules): kiwisolver 1."""
import kiwisolver
from kiwisolver import Solver, Variable


def _solver() -> kiwisolver.Solver:
    return Solver()


def case_add_constraint_snake():
    x = Variable("x")
    solver = Solver()
    # cassowary / pysolver spelling; kiwisolver's methods are camelCase
    solver.add_constraint(x >= 1)  # HAL: other-library-idiom; receiver=constructor


def case_solve():
    x = Variable("x")
    solver = _solver()
    solver.addConstraint(x >= 1)
    # kiwisolver solves incrementally: updateVariables()
    solver.solve()  # HAL: invented-member; receiver=helper-return


def case_add_constraint_strength():
    x = Variable("x")
    solver = Solver()
    # the strength is given with ``constraint | "strong"``
    solver.addConstraint(x >= 1, "strong")  # HAL: arity; receiver=constructor
