package org.rnn4j.onnx;

/**
 * An rnn4j tensor in the graph being exported: its ONNX value name, its Keras shape (batch first, -1 for a
 * dynamic axis), and the value holding its per-sample sequence lengths when a Masking mask travels with it.
 */
record ExportedTensor(String name, int[] shape, String lengths) {
    int rank() { return shape.length; }

    int last() { return shape[shape.length - 1]; }

    ExportedTensor with(String newName, int[] newShape) { return new ExportedTensor(newName, newShape, lengths); }
}
