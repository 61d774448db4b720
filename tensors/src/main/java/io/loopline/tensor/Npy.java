package io.loopline.tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tensors stored as NumPy {@code .npy} files (format version 1.0): a magic string, a small text
 * header giving dtype, order and shape, then the raw little-endian values in C order. It is the
 * most widely readable self-describing tensor format ({@code numpy.load} opens our intermediates),
 * and trivial to stream. Loopline uses {@code <f4} (float32) and {@code |u1} (uint8, frames).
 *
 * <p>Headers are padded to {@value #HEADER_BYTES} bytes so that a streamed file's shape can be
 * written at the end without moving the data ({@link #streamFloats}).
 */
public final class Npy {

    /** A float32 tensor. */
    public record FloatTensor(int[] shape, float[] data) {
        public FloatTensor {
            long count = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (count != data.length) {
                throw new IllegalArgumentException(
                        "Shape " + Arrays.toString(shape) + " needs " + count + " values, got " + data.length);
            }
        }
    }

    /** An 8-bit unsigned tensor (e.g. RGB frames [F, H, W, 3]). */
    public record ByteTensor(int[] shape, byte[] data) {
        public ByteTensor {
            long count = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (count != data.length) {
                throw new IllegalArgumentException(
                        "Shape " + Arrays.toString(shape) + " needs " + count + " values, got " + data.length);
            }
        }
    }

    static final int HEADER_BYTES = 128;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static byte[] toBytes(FloatTensor tensor) {
        ByteBuffer body = ByteBuffer.allocate(tensor.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(tensor.data());
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_BYTES + body.capacity());
        out.writeBytes(header(FLOAT32, tensor.shape()));
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    /** The {@code .npy} header of an 8-bit unsigned tensor of {@code shape}: what precedes its data in the file. */
    public static byte[] uint8Header(int... shape) {
        return header(UINT8, shape);
    }

    public static byte[] toBytes(ByteTensor tensor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_BYTES + tensor.data().length);
        out.writeBytes(header(UINT8, tensor.shape()));
        out.writeBytes(tensor.data());
        return out.toByteArray();
    }

    /** Reads an 8-bit unsigned ({@code |u1}) tensor. */
    public static ByteTensor readBytes(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header h = readHeader(data, UINT8);
        long count = Arrays.stream(h.shape()).asLongStream().reduce(1, (a, b) -> a * b);
        byte[] body = new byte[Math.toIntExact(count)];
        data.readFully(body);
        return new ByteTensor(h.shape(), body);
    }

    private static final String FLOAT32 = "<f4";
    private static final String UINT8 = "|u1";

    private record Header(int[] shape) {}

    private static Header readHeader(DataInputStream data, String expectedDescr) throws IOException {
        byte[] magic = new byte[8];
        data.readFully(magic);
        if (!Arrays.equals(Arrays.copyOf(magic, 6), Arrays.copyOf(MAGIC, 6)) || magic[6] != 1) {
            throw new IOException("Not a version 1 .npy file");
        }
        int headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
        byte[] headerBytes = new byte[headerLength];
        data.readFully(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher order = ORDER.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !order.find() || !shape.find()) {
            throw new IOException("Malformed .npy header: " + header.strip());
        }
        if (!descr.group(1).equals(expectedDescr) || order.group(1).equals("True")) {
            throw new IOException("Expected a C-ordered " + expectedDescr + " .npy file, not " + header.strip());
        }
        return new Header(Arrays.stream(shape.group(1).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray());
    }

    public static FloatTensor read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int[] dims = readHeader(data, FLOAT32).shape();
        long count = Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b);
        if (count > Integer.MAX_VALUE / 4) {
            throw new IOException("Tensor of shape " + Arrays.toString(dims) + " is too large to load");
        }
        byte[] body = new byte[(int) count * 4];
        data.readFully(body);
        float[] values = new float[(int) count];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new FloatTensor(dims, values);
    }

    /**
     * Opens a writer of a float32 file whose leading dimension grows as values are appended; the
     * header is finalized on close. {@code rowShape} is the shape of one row (empty for a vector).
     */
    public static FloatStreamWriter streamFloats(Path file, int... rowShape) throws IOException {
        return new FloatStreamWriter(file, rowShape);
    }

    /** Appends float32 rows to a {@code .npy} file, fixing the leading dimension on close. */
    public static final class FloatStreamWriter implements AutoCloseable {
        private final FileChannel channel;
        private final int[] rowShape;
        private final int rowSize;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        private long values;

        private FloatStreamWriter(Path file, int[] rowShape) throws IOException {
            this.channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.rowShape = rowShape.clone();
            this.rowSize = Arrays.stream(rowShape).reduce(1, (a, b) -> a * b);
            channel.write(ByteBuffer.wrap(header(FLOAT32, shapeWithRows(0))));
        }

        public void write(float value) throws IOException {
            if (buffer.remaining() < 4) {
                flush();
            }
            buffer.putFloat(value);
            values++;
        }

        public long count() {
            return values;
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        private int[] shapeWithRows(long rows) {
            int[] shape = new int[rowShape.length + 1];
            shape[0] = Math.toIntExact(rows);
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            return shape;
        }

        @Override
        public void close() throws IOException {
            try {
                flush();
                if (values % rowSize != 0) {
                    throw new IOException(values + " values do not make whole rows of " + rowSize);
                }
                channel.write(ByteBuffer.wrap(header(FLOAT32, shapeWithRows(values / rowSize))), 0);
            } finally {
                channel.close();
            }
        }
    }

    /** Magic, version 1.0, header length and the padded header dict, {@value #HEADER_BYTES} bytes in all. */
    static byte[] header(String descr, int[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
                + (shape.length == 1 ? "," : "") + "), }";
        int textLength = HEADER_BYTES - MAGIC.length - 2;
        if (dict.length() + 1 > textLength) {
            throw new IllegalArgumentException(
                    "Shape " + Arrays.toString(shape) + " does not fit a " + HEADER_BYTES + "-byte header");
        }
        StringBuilder text = new StringBuilder(dict);
        while (text.length() < textLength - 1) {
            text.append(' ');
        }
        text.append('\n');
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) textLength);
        out.put(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    /** Writes a whole tensor to a stream. */
    public static void write(FloatTensor tensor, OutputStream out) throws IOException {
        out.write(toBytes(tensor));
    }
}
