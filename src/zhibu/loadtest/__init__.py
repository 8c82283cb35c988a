"""`make bench-load`: 200 simulated users against gunicorn + PostgreSQL on a bench-built district (see __main__)."""
