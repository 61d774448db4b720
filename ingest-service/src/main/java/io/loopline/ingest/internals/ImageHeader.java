package io.loopline.ingest.internals;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import java.nio.charset.StandardCharsets;

/**
 * What an image file says about itself, read from its header without decoding a pixel: the format
 * (by magic bytes, never by file name), the declared size, whether it has an alpha channel, and
 * whether the file is structurally complete (JPEG end marker, PNG IEND chunk, RIFF length). This is
 * what lets ingest refuse decompression bombs and truncated files before any decoder runs.
 */
public record ImageHeader(Format format, int width, int height, boolean hasAlpha) {

    public enum Format {
        JPEG,
        PNG,
        WEBP
    }

    public long pixels() {
        return (long) width * height;
    }

    /**
     * Parses the header.
     *
     * @throws RequestRejectedException IMAGE_UNSUPPORTED for other formats, IMAGE_UNDECODABLE for
     *                                  empty, truncated or inconsistent files
     */
    public static ImageHeader parse(byte[] b) throws RequestRejectedException {
        if (b.length == 0) {
            throw undecodable("The image file is empty.");
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return jpeg(b);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return png(b);
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return webp(b);
        }
        String other = otherFormat(b);
        throw new RequestRejectedException(
                ErrorCode.IMAGE_UNSUPPORTED,
                other == null
                        ? "The image is not a JPEG, PNG or WebP file."
                        : "The image is a " + other + " file; only JPEG, PNG and WebP images are supported.");
    }

    private static String otherFormat(byte[] b) {
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return "GIF";
        }
        if (startsWith(b, 0, 'B', 'M')) {
            return "BMP";
        }
        if (startsWith(b, 0, 'I', 'I', 0x2A, 0x00) || startsWith(b, 0, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF";
        }
        if (b.length >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("hev")) {
                return "HEIC";
            }
            if (brand.startsWith("avi")) {
                return "AVIF";
            }
        }
        if (startsWith(b, 0, '%', 'P', 'D', 'F')) {
            return "PDF";
        }
        if (startsWith(b, 0, '<', 's', 'v', 'g') || startsWith(b, 0, '<', '?', 'x', 'm', 'l')) {
            return "SVG/XML";
        }
        return null;
    }

    private static ImageHeader jpeg(byte[] b) throws RequestRejectedException {
        int i = 2;
        int width = -1;
        int height = -1;
        int scanStart = -1;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw undecodable("The JPEG image is corrupt (bad marker at byte " + i + ").");
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int length = u16be(b, i + 2);
            if (length < 2 || i + 2 + length > b.length) {
                throw undecodable("The JPEG image is truncated.");
            }
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame && length >= 8) {
                height = u16be(b, i + 5);
                width = u16be(b, i + 7);
            }
            if (marker == 0xDA) { // start of scan: entropy-coded data follows
                scanStart = i + 2 + length;
                break;
            }
            i += 2 + length;
        }
        if (width <= 0 || height <= 0) {
            throw undecodable(
                    scanStart < 0 ? "The JPEG image is truncated." : "The JPEG image does not declare its size.");
        }
        if (scanStart < 0 || lastIndexOfEndMarker(b) < scanStart) {
            throw undecodable("The JPEG image is truncated (it has no end marker).");
        }
        return new ImageHeader(Format.JPEG, width, height, false);
    }

    private static int lastIndexOfEndMarker(byte[] b) {
        for (int i = b.length - 2; i >= 0; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return i;
            }
        }
        return -1;
    }

    private static ImageHeader png(byte[] b) throws RequestRejectedException {
        if (b.length < 33 || !ascii(b, 12, 4).equals("IHDR")) {
            throw undecodable("The PNG image is truncated.");
        }
        long width = u32be(b, 16);
        long height = u32be(b, 20);
        int colorType = b[25] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw undecodable("The PNG image declares an invalid size " + width + "×" + height + ".");
        }
        // Walk the chunks: a complete PNG ends with IEND; tRNS adds transparency to any color type.
        boolean alpha = colorType == 4 || colorType == 6;
        int i = 8;
        boolean ended = false;
        while (i + 12 <= b.length) {
            long length = u32be(b, i);
            String type = ascii(b, i + 4, 4);
            if (length > b.length) {
                break;
            }
            if (type.equals("tRNS")) {
                alpha = true;
            }
            if (type.equals("IEND")) {
                ended = true;
                break;
            }
            i += 12 + (int) length;
        }
        if (!ended) {
            throw undecodable("The PNG image is truncated (it has no end chunk).");
        }
        return new ImageHeader(Format.PNG, (int) width, (int) height, alpha);
    }

    private static ImageHeader webp(byte[] b) throws RequestRejectedException {
        long riffSize = u32le(b, 4);
        if (riffSize + 8 > b.length) {
            throw undecodable("The WebP image is truncated.");
        }
        if (b.length < 30) {
            throw undecodable("The WebP image is truncated.");
        }
        String chunk = ascii(b, 12, 4);
        switch (chunk) {
            case "VP8 " -> {
                if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
                    throw undecodable("The WebP image is corrupt.");
                }
                return new ImageHeader(Format.WEBP, u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF, false);
            }
            case "VP8L" -> {
                long bits = u32le(b, 21);
                int width = (int) (bits & 0x3FFF) + 1;
                int height = (int) ((bits >> 14) & 0x3FFF) + 1;
                return new ImageHeader(Format.WEBP, width, height, ((bits >> 28) & 1) == 1);
            }
            case "VP8X" -> {
                boolean alpha = (b[20] & 0x10) != 0;
                int width = u24le(b, 24) + 1;
                int height = u24le(b, 27) + 1;
                if ((b[20] & 0x02) != 0) {
                    throw new RequestRejectedException(
                            ErrorCode.IMAGE_UNSUPPORTED, "Animated WebP images are not supported; use a still image.");
                }
                return new ImageHeader(Format.WEBP, width, height, alpha);
            }
            default -> throw undecodable("The WebP image is corrupt (unknown chunk \"" + chunk.strip() + "\").");
        }
    }

    private static RequestRejectedException undecodable(String message) {
        return new RequestRejectedException(ErrorCode.IMAGE_UNDECODABLE, message);
    }

    private static boolean startsWith(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static int u16be(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
    }

    private static int u24le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16);
    }

    private static long u32be(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | ((long) (b[i + 3] & 0xFF) << 24);
    }
}
