"""The Prodigy stand-in: a small, test-only program that speaks Prodigy's documented CLI, env, REST and DB contract.

It is a stand-in for tests and demos, not Prodigy (see ../README.md).
"""
__version__ = "1.17.0-standin"
