package org.rnn4j.cli;

/** Bad input from the user (a file, a column, an option): printed as one line, exit status 2, no stack trace. */
public final class UserInputException extends RuntimeException {
    public UserInputException(String message) { super(message); }

    public UserInputException(String message, Throwable cause) { super(message, cause); }
}
