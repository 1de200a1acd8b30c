/**
 * Typed shared memory, CPython's {@code multiprocessing.sharedctypes} and
 * {@code multiprocessing.shared_memory}: {@link dev.ipckit.shm.SharedInt},
 * {@link dev.ipckit.shm.SharedLong}, {@link dev.ipckit.shm.SharedDouble} ({@code Value('i'/'l'/'d')}),
 * {@link dev.ipckit.shm.SharedIntArray}, {@link dev.ipckit.shm.SharedLongArray},
 * {@link dev.ipckit.shm.SharedDoubleArray}, {@link dev.ipckit.shm.SharedByteArray}
 * ({@code Array(...)}) and {@link dev.ipckit.shm.SharedMemory} ({@code SharedMemory(name, create, size)}).
 * <p>
 * Each lives in a file mapped from the runtime directory, and each is {@code Serializable} as a
 * small handle: a value captured by a child's task attaches to the same memory there. A value or
 * array created with its lock (the default, as in Python) hands out an {@link dev.ipckit.sync.IpcRLock}
 * from {@code getLock()}; single reads and writes are atomic without it, and the int and long kinds
 * add lock-free {@code getAndAdd}, {@code compareAndSet} and friends. An index out of range throws
 * {@link java.lang.IndexOutOfBoundsException} and writes nothing.
 * <p>
 * <b>Note:</b> every type is thread-safe and may be used by many processes at once; a closed handle
 * throws {@link java.lang.IllegalStateException}. {@code SharedMemory.close()} unmaps at once, so a
 * buffer taken from it must not be used afterwards.
 */
package dev.ipckit.shm;
