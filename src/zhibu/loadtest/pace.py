"""The pace of the simulated people of `make bench-load`."""

# How long a person spends on a page before the next action: reading a branch's lights, ticking attendance, typing
# a meeting's topic on a phone, or looking down the board takes seconds to tens of seconds; 5–15 s (10 s on
# average) is already a brisk user. 200 such people ask for about 200 / 10 = 20 pages a second; an earlier 1–3 s
# made 200 users ask for 100 pages a second, the load of a thousand people rather than two hundred.
THINK_SECONDS = (5, 15)
