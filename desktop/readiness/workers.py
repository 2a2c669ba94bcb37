"""Worker processes that never outlive the process that started them: :func:`process_pool`.

Every process pool of the application (the import's checks, the department's bulk scoring, the
demo export) is made here.  If the main process dies without shutting its pool down (killed,
crashed, the power button of the task manager), nothing it started keeps running:

- **Every platform**: each worker watches its parent's sentinel (``multiprocessing.parent_process()``:
  a pipe only the parent holds on POSIX, a process handle on Windows) in a daemon thread and exits
  as soon as the parent is gone.  This costs nothing per task.
- **Linux (forkserver)**: the workers are children of the forkserver, not of the main process.  Each
  worker asks the kernel for ``SIGKILL`` when its parent, the forkserver, dies
  (``prctl(PR_SET_PDEATHSIG)``), and closes its copy of the forkserver's "alive" pipe: the main
  process then holds the only write end, so the forkserver sees end-of-file and exits the moment
  the main process dies, and the kernel kills the workers even when one is busy in C code
  holding the interpreter lock (the watcher thread could not run then).  The resource tracker
  exits by itself once the main process and the workers, the only writers of its pipe, are gone.
- **Linux, a pool that asks for spawn** (``process_pool(..., method="spawn")``: the report's document
  worker, which needs none of the forkserver's preloaded modules): the worker is a child of the main
  process and its watcher thread ends it (a worker inside a long C call ends when the call returns).
  ``PR_SET_PDEATHSIG`` is not used there: it fires when the *thread* that started the worker ends, and in
  the window that is a pool thread, not the process.
- **Windows (spawn)**: the main process creates one job object with
  ``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`` and keeps the only handle to it; each worker puts itself
  in the job.  When the main process ends, however it ends, Windows closes the handle and ends
  the workers.  If the job cannot be used (an old Windows, a policy), the watcher thread remains.

Nothing here runs per task: the work is done once in each worker's initializer, which also sends the
worker's log records and dependency warnings to the log file (:func:`readiness.logs.configure_logging`),
never to the console it shares with the main process.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, cast

log = logging.getLogger(__name__)

# Imported once in the forkserver, so that forked workers start with them loaded (the last one also loads the
# installed checklists and generates the code of their expressions).
FORKSERVER_PRELOAD = ("readiness.workers", "readiness.department.import_worker", "readiness.exchange.reader",
                      "readiness.scoring", "python_calamine", "readiness.department.worker_preload")
ORPHANED_EXIT = 70  # a worker's exit status when it ends because its parent is gone

_job: tuple[Any, str] | None = None  # Windows: (job handle, job name); the handle stays open for this process's life
_bound: list[str] = []  # in a worker: the mechanisms bind_to_parent put in place


def start_method() -> str:
    """``forkserver`` on Linux (safe while the GUI has threads; cheap after the first), else ``spawn``."""
    return "forkserver" if sys.platform.startswith("linux") else "spawn"


def context(method: str | None = None) -> Any:
    """The multiprocessing context of a pool: ``method`` (``spawn`` or ``forkserver``), by default
    :func:`start_method`.  Never ``fork``: nothing may depend on it (Windows has none; the GUI has threads)."""
    import multiprocessing

    method = method or start_method()
    if method not in ("spawn", "forkserver") or (method == "forkserver" and sys.platform == "win32"):
        raise ValueError(f"worker processes start by spawn or forkserver, not {method!r}")
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(list(FORKSERVER_PRELOAD))
    return ctx


def process_pool(max_workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: Sequence[Any] = (), *, method: str | None = None) -> Any:
    """A ``ProcessPoolExecutor`` whose workers end when this process ends (see the module docstring).

    ``initializer`` (a module-level function, sent to the workers by name) runs in each worker
    after the worker has bound its life to this process.  ``method``: how the workers start (:func:`context`);
    ``spawn`` on Linux starts a fresh interpreter that imports only what its tasks need, instead of a fork of
    the forkserver with :data:`FORKSERVER_PRELOAD` loaded (and the forkserver started for it, if it was not
    running).  Such a worker is bound by its watcher thread (and the job object on Windows).
    """
    method = method or start_method()
    job = _windows_job_name() if sys.platform == "win32" else None
    return _pool_class()(max_workers=max_workers, mp_context=_Recording(context(method)), initializer=_init_worker,
                         initargs=(method, job, initializer, tuple(initargs)))


class _Recording:
    """A multiprocessing context that remembers the processes it makes (every other attribute is the context's
    own): how :meth:`Pool.processes` knows the pool's workers without the executor's private ``_processes``."""

    def __init__(self, ctx: Any) -> None:
        import weakref

        self._ctx = ctx
        self.made: weakref.WeakSet[Any] = weakref.WeakSet()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - multiprocessing's name
        process = self._ctx.Process(*args, **kwargs)
        self.made.add(process)
        return process


_pool_type: list[type] = []


def _pool_class() -> type:
    """:class:`concurrent.futures.ProcessPoolExecutor` with :meth:`processes` and :meth:`terminate` (made on first
    use: the executor's module is imported only by a command that starts workers)."""
    if _pool_type:
        return _pool_type[0]
    from concurrent.futures import ProcessPoolExecutor

    class Pool(ProcessPoolExecutor):
        """A pool of :func:`process_pool`: its workers can be listed and ended at once (a stop)."""

        def __init__(self, max_workers: int, mp_context: _Recording, initializer: Callable[..., Any],
                     initargs: tuple[Any, ...]) -> None:
            super().__init__(max_workers=max_workers, mp_context=cast(Any, mp_context), initializer=initializer,
                             initargs=initargs)
            self.made = mp_context.made

        def processes(self) -> list[Any]:
            """The pool's worker processes still running."""
            return [process for process in list(self.made) if process.is_alive()]

        def terminate(self) -> list[int]:
            """End every worker now (their unfinished tasks are lost), then shut the pool down; returns the ended
            workers' process ids."""
            ended = []
            for process in self.processes():
                process.terminate()
                ended.append(process.pid)
            self.shutdown(wait=True, cancel_futures=True)
            return ended

    _pool_type.append(Pool)
    return Pool


def _init_worker(method: str, job: str | None, initializer: Callable[..., Any] | None,
                 initargs: tuple[Any, ...]) -> None:
    from .logs import configure_logging

    configure_logging(rotate=False)  # library logs (pyHanko's tracebacks) and dependency warnings: the log file
    _bound[:] = bind_to_parent(method, job)
    if initializer is not None:
        initializer(*initargs)


def bind_to_parent(method: str | None = None, job: str | None = None) -> list[str]:
    """Make this worker process end when its parent does; returns the mechanisms in place (for tests).

    Never raises: a mechanism the platform refuses is logged and the others stay.
    """
    done: list[str] = []
    method = method or start_method()
    if sys.platform.startswith("linux") and method == "forkserver":
        if _die_with_forkserver():
            done.append("pdeathsig")
        if _release_forkserver_alive_pipe():
            done.append("alive-pipe")
    if sys.platform == "win32" and job:
        if _join_windows_job(job):
            done.append("job")
    if _watch_parent():
        done.append("watcher")
    return done


def bound_mechanisms() -> list[str]:
    """In a worker of :func:`process_pool`: how it is bound to its parent (``pdeathsig``, ``alive-pipe``,
    ``job``, ``watcher``)."""
    return list(_bound)


# -- every platform: a thread that waits for the parent to go ------------------------------------------------


def _watch_parent() -> bool:
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None) if parent is not None else None
    if sentinel is None:
        return False

    def watch() -> None:
        from multiprocessing.connection import wait

        try:
            wait([sentinel])
        except (OSError, ValueError):  # the sentinel closed while this worker exits normally
            return
        os._exit(ORPHANED_EXIT)  # the parent is gone: nobody will collect this worker's results

    threading.Thread(target=watch, name="readiness-parent-watch", daemon=True).start()
    return True


# -- Linux -----------------------------------------------------------------------------------------------------


PR_SET_PDEATHSIG = 1


def _die_with_forkserver() -> bool:
    """``SIGKILL`` from the kernel when the parent (the single-threaded forkserver) dies."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(ctypes.c_int(PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0),
                      ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
            log.debug("prctl(PR_SET_PDEATHSIG) refused: errno %s", ctypes.get_errno())
            return False
    except (OSError, AttributeError) as error:
        log.debug("prctl unavailable: %s", error)
        return False
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(ORPHANED_EXIT)
    return True


def _release_forkserver_alive_pipe() -> bool:
    """Close this worker's copy of the forkserver's "alive" pipe (its write end).

    The forkserver leaves when that pipe reaches end-of-file, i.e. when every process holding its
    write end is gone.  Python gives a copy to every worker (so a worker could start processes of
    its own, which ours never do); with those copies closed, the main process holds the only one.
    """
    try:
        from multiprocessing import forkserver

        server = forkserver._forkserver  # noqa: SLF001 - the module's singleton (stable since Python 3.4)
        fd = getattr(server, "_forkserver_alive_fd", None)
        if fd is None:
            return False
        server._forkserver_alive_fd = None  # type: ignore[attr-defined]  # checked by getattr above
        os.close(fd)
        return True
    except (ImportError, AttributeError, OSError) as error:
        log.debug("forkserver alive pipe not released: %s", error)
        return False


# -- Windows -----------------------------------------------------------------------------------------------------
# The ctypes code below runs only on Windows; on other systems it is defined but never called.

JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9
JOB_OBJECT_ASSIGN_PROCESS = 0x0001


def _job_structures() -> Any:
    """``JOBOBJECT_EXTENDED_LIMIT_INFORMATION`` as ctypes (144 bytes on 64-bit Windows, 112 on 32-bit)."""
    import ctypes

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", ctypes.c_uint32), ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", ctypes.c_uint32),
            ("Affinity", ctypes.c_size_t), ("PriorityClass", ctypes.c_uint32), ("SchedulingClass", ctypes.c_uint32),
        ]

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint64) for name in ("ReadOperationCount", "WriteOperationCount",
                                                          "OtherOperationCount", "ReadTransferCount",
                                                          "WriteTransferCount", "OtherTransferCount")]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    return ExtendedLimits


def _kernel32() -> Any:
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle, dword, boolean = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int
    kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, ctypes.c_wchar_p)
    kernel32.CreateJobObjectW.restype = handle
    kernel32.OpenJobObjectW.argtypes = (dword, boolean, ctypes.c_wchar_p)
    kernel32.OpenJobObjectW.restype = handle
    kernel32.SetInformationJobObject.argtypes = (handle, ctypes.c_int, ctypes.c_void_p, dword)
    kernel32.SetInformationJobObject.restype = boolean
    kernel32.AssignProcessToJobObject.argtypes = (handle, handle)
    kernel32.AssignProcessToJobObject.restype = boolean
    kernel32.GetCurrentProcess.argtypes = ()
    kernel32.GetCurrentProcess.restype = handle
    kernel32.CloseHandle.argtypes = (handle,)
    kernel32.CloseHandle.restype = boolean
    return kernel32


def _windows_job_name() -> str | None:
    """The name of this process's kill-on-close job (created once); None if Windows refuses it."""
    global _job
    if _job is not None:
        return _job[1]
    import ctypes
    import secrets

    try:
        kernel32 = _kernel32()
        name = f"Local\\readiness-workers-{os.getpid()}-{secrets.token_hex(8)}"
        handle = kernel32.CreateJobObjectW(None, name)
        if not handle:
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        limits = _job_structures()()
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if not kernel32.SetInformationJobObject(handle, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                                ctypes.byref(limits), ctypes.sizeof(limits)):
            error = ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
            kernel32.CloseHandle(handle)
            raise error
    except (OSError, AttributeError) as error:
        log.warning("worker processes: no job object (%s); they end through their watcher thread", error)
        return None
    _job = (handle, name)  # never closed by us: Windows closes it when this process ends, ending the workers
    return name


def _join_windows_job(name: str) -> bool:
    """Put this worker in the parent's kill-on-close job."""
    import ctypes

    try:
        kernel32 = _kernel32()
        job = kernel32.OpenJobObjectW(JOB_OBJECT_ASSIGN_PROCESS, False, name)
        if not job:
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        try:
            if not kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()):
                raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        finally:
            kernel32.CloseHandle(job)
    except (OSError, AttributeError) as error:
        log.debug("worker not in the job object: %s", error)
        return False
    return True
