package io.loopline.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @Test
    void tensorsRoundTripWithTheirShape() throws IOException {
        Npy.FloatTensor t = new Npy.FloatTensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE});
        byte[] bytes = Npy.toBytes(t);
        assertThat(bytes).hasSize(Npy.HEADER_BYTES + 24);
        String header = new String(bytes, 10, Npy.HEADER_BYTES - 10, StandardCharsets.ISO_8859_1);
        assertThat(header)
                .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")
                .endsWith("\n");
        Npy.FloatTensor back = Npy.read(new ByteArrayInputStream(bytes));
        assertThat(back.shape()).containsExactly(2, 3);
        assertThat(back.data()).containsExactly(t.data());
    }

    @Test
    void aStreamedVectorGetsItsLengthOnClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audio.npy");
        try (Npy.FloatStreamWriter w = Npy.streamFloats(file)) {
            for (int i = 0; i < 100_000; i++) {
                w.write(i / 100_000f);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            Npy.FloatTensor t = Npy.read(in);
            assertThat(t.shape()).containsExactly(100_000);
            assertThat(t.data()[99_999]).isEqualTo(0.99999f);
        }
        String header = Files.readString(file, StandardCharsets.ISO_8859_1).substring(10, 80);
        assertThat(header).contains("'shape': (100000,)");
    }

    @Test
    void byteTensorsRoundTrip() throws IOException {
        byte[] rgb = {0, 1, (byte) 255, 7, 8, 9};
        Npy.ByteTensor back =
                Npy.readBytes(new ByteArrayInputStream(Npy.toBytes(new Npy.ByteTensor(new int[] {1, 2, 3}, rgb))));
        assertThat(back.shape()).containsExactly(1, 2, 3);
        assertThat(back.data()).containsExactly(rgb);
        assertThatThrownBy(() ->
                        Npy.read(new ByteArrayInputStream(Npy.toBytes(new Npy.ByteTensor(new int[] {1}, new byte[1])))))
                .hasMessageContaining("<f4");
    }

    @Test
    void otherDtypesAreRefused() {
        byte[] bytes = Npy.toBytes(new Npy.FloatTensor(new int[] {1}, new float[] {1}));
        byte[] f8 = new String(bytes, StandardCharsets.ISO_8859_1)
                .replace("<f4", "<f8")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(f8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("<f4");
    }
}
