"""Blind set 2 (written without running vetpy or reading its rules): sqlparse 0.6."""
import sqlparse


def case_statement_get_tables():
    names = []
    for statement in sqlparse.parse("select a from t; select b from u"):
        names.append(statement.get_tables())  # HAL: invented-member; receiver=loop
    return names
