"""Running a material's filing off the event loop, in a thread that never holds up an exit.

`asyncio.to_thread` runs work in the loop's executor, whose threads Python joins before the
process may exit: one filing stuck in a read kept a stopped bot alive. Here each call gets a
daemon thread of its own. Awaiting it can be cancelled (the work is then abandoned: what it
writes goes through notes/kb/atomic.py, so an exit mid-write leaves no half file), and a thread
still running when the process exits is not waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`func(*args, **kwargs)` in a daemon thread; its result, or its exception raised here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def run() -> None:
        try:
            value = context.run(func, *args, **kwargs)
        except BaseException as error:
            _deliver(loop, future, None, error)
        else:
            _deliver(loop, future, value, None)

    name = f"material-{getattr(func, '__name__', 'job')}"
    threading.Thread(target=run, name=name, daemon=True).start()
    return await future


def _deliver(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[T],
    value: T | None,
    error: BaseException | None,
) -> None:
    def settle() -> None:
        if future.done():  # the awaiting task was cancelled: nobody wants the outcome
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(cast(T, value))  # None only when there is an error

    with contextlib.suppress(RuntimeError):  # the loop is closed: the program is exiting
        loop.call_soon_threadsafe(settle)
