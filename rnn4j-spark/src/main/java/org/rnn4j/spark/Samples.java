package org.rnn4j.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns Spark data into {@link Sample}s.
 *
 * <pre>{@code
 * // A CSV (or Parquet) file whose rows are T*D input values then K target values:
 * Dataset<Row> df = spark.read().option("inferSchema", "true").csv("sequences.csv");
 * JavaRDD<Sample> samples = Samples.fromFlatColumns(df, new int[] {T, D}, new int[] {K});
 * }</pre>
 */
public final class Samples {
    private Samples() {}

    /**
     * Rows of numeric columns: the first {@code prod(xShape)} columns are the input (row-major), the next
     * {@code prod(yShape)} the target. A non-numeric or missing cell fails with its row and column.
     */
    public static JavaRDD<Sample> fromFlatColumns(Dataset<Row> df, int[] xShape, int[] yShape) {
        int nx = size(xShape), ny = size(yShape);
        int cols = df.columns().length;
        if (cols < nx + ny) {
            throw new IllegalArgumentException("Samples: the data has " + cols + " columns but input shape "
                    + java.util.Arrays.toString(xShape) + " and target shape " + java.util.Arrays.toString(yShape)
                    + " need " + (nx + ny));
        }
        int[] xs = xShape.clone(), ys = yShape.clone();
        return df.javaRDD().map(row -> {
            float[] x = new float[nx], y = new float[ny];
            for (int j = 0; j < nx + ny; j++) {
                Object v = row.get(j);
                if (!(v instanceof Number)) {
                    throw new IllegalArgumentException("Samples: column " + j + " of row " + row + " is " + v
                            + ", expected a number");
                }
                float f = ((Number) v).floatValue();
                if (j < nx) x[j] = f; else y[j - nx] = f;
            }
            return new Sample(x, xs, y, ys);
        });
    }

    /** Two array columns (e.g. {@code array<float>} from Parquet), flattened row-major. */
    public static JavaRDD<Sample> fromArrayColumns(Dataset<Row> df, String xColumn, int[] xShape, String yColumn, int[] yShape) {
        int[] xs = xShape.clone(), ys = yShape.clone();
        return df.select(xColumn, yColumn).javaRDD().map(row -> new Sample(floats(row.getList(0)), xs, floats(row.getList(1)), ys));
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) values.get(i)).floatValue();
        return out;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("Samples: shape dimensions must be positive, got " + java.util.Arrays.toString(shape));
            n *= d;
        }
        return n;
    }
}
