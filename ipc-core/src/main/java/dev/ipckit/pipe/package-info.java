/**
 * Pipes and connections, CPython's {@code multiprocessing.connection}: {@link dev.ipckit.pipe.Pipe}
 * ({@code Pipe(duplex)}), {@link dev.ipckit.pipe.Connection} ({@code send}, {@code recv},
 * {@code send_bytes}, {@code recv_bytes}, {@code recv_bytes_into}, {@code poll}),
 * {@link dev.ipckit.pipe.Listener} and {@link dev.ipckit.pipe.Client} (the same names, on a Unix
 * socket path or a TCP address with an authentication key), {@link dev.ipckit.pipe.AuthenticationException},
 * {@link dev.ipckit.pipe.BufferTooShortException}, and {@link dev.ipckit.pipe.PipeConfiguration},
 * the layer's properties (spin budget, write coalescing, buffer size).
 * <p>
 * A connection carries whole, length-prefixed messages over a Unix domain socket (or TCP). A pipe
 * end is {@code Serializable} as a handle: a child's task captures it and attaches there on first
 * use; an end is attached by one process at a time. End of stream is
 * {@link java.io.EOFException}, as Python's {@code EOFError}.
 * <p>
 * <b>Note:</b> on a connection one thread may send while another receives; concurrent senders (or
 * receivers) are serialised; {@code close()} may be called from any thread.
 */
package dev.ipckit.pipe;
