/**
 * How objects become messages: the {@link dev.ipckit.codec.Codec} interface, its default
 * {@link dev.ipckit.codec.SerializationCodec} (Java serialisation with fast paths for
 * {@code byte[]}, strings, boxed primitives and {@code null}, behind an
 * {@link java.io.ObjectInputFilter}), {@link dev.ipckit.codec.CodecException}, and
 * {@link dev.ipckit.codec.CodecConfiguration}, the message layer's properties (largest message,
 * class filter, graph depth). It plays the part of CPython's {@code pickle} (the
 * {@code ForkingPickler} of {@code multiprocessing.reduction}).
 * <p>
 * <b>Note:</b> codecs are thread-safe; one instance serves every connection and queue of a JVM.
 */
package dev.ipckit.codec;
