package org.rnn4j.io;

/**
 * A model file or config rnn4j cannot read: an unknown or refused layer class, a missing or malformed option, a
 * config that does not match its weights. The message names the layer (or file) and says what was expected.
 * It is an {@link IllegalArgumentException}, so command-line tools print it as one line.
 *
 * <pre>{@code
 * try {
 *     Model m = ModelConfig.fromJson(json);
 * } catch (ModelFormatException e) {
 *     System.err.println(e.getMessage()); // Layer "lambda" (Lambda) holds Python code: ...
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable, thread-safe.
 */
public class ModelFormatException extends IllegalArgumentException {
    /** Thread-safe: an immutable exception. */
    public ModelFormatException(String message) { super(message); }

    /** Thread-safe: an immutable exception. */
    public ModelFormatException(String message, Throwable cause) { super(message, cause); }
}
