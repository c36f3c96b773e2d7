"""payhub: HR and payroll SaaS (employees, timesheets, leave, payroll runs, expenses, bank files)."""

__version__ = "0.7.2"
