"""Class mode's data: classes, questions, answers and the store that keeps them (SQLite by default, Redis for
replicas). No Streamlit here: the pages and ui/ use it; it never uses them.

    model.py         the domain: limits, codes and tokens, errors, Question / ClassState / Tally ...
    store.py         ClassStore, the one interface, with every check that needs no data
    sqlite_store.py  the default backend (standard library)
    redis_store.py   the backend for replicas (redis-py, requirements-deploy.txt)
    config.py        open_store(): which backend, from the environment
"""
