"""Whole short programs, the CPython side of compare.sh's "short programs" section: each is run
on its own and timed from outside (/usr/bin/time), so interpreter start-up and exit count.

Run: python3 py_short_programs.py shared-counter | pool-map | pool-start-ten
  shared-counter   100 children each take one from a shared counter of 100 under its lock
                   (ipc-examples' shared-counter demo)
  pool-map         Pool(2), one map of x*x over 100 000 ints, chunksize 256, exit
  pool-start-ten   Pool(2) start, one apply, exit the with block: ten times
Every program uses the spawn start method, like a child JVM. Each prints its result.
"""
import multiprocessing as mp
import sys


def _decrement(counter):
    with counter.get_lock():
        counter.value -= 1


def shared_counter():
    counter = mp.Value("i", 100)
    children = [mp.Process(target=_decrement, args=(counter,)) for _ in range(100)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    print(counter.value)


def _sq(x):
    return x * x


def pool_map():
    with mp.Pool(2) as pool:
        squares = pool.map(_sq, range(100_000), chunksize=256)
    print(squares[-1])


def _one():
    return 1


def pool_start_ten():
    total = 0
    for _ in range(10):
        with mp.Pool(2) as pool:
            total += pool.apply(_one)
    print(total)


PROGRAMS = {"shared-counter": shared_counter, "pool-map": pool_map, "pool-start-ten": pool_start_ten}

if __name__ == "__main__":
    mp.set_start_method("spawn")
    PROGRAMS[sys.argv[1]]()
