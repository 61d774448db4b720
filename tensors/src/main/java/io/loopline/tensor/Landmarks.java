package io.loopline.tensor;

/** Face-mesh landmarks as stored: a flat array of (x, y, z) per point, in pixels. */
public final class Landmarks {

    private Landmarks() {}

    /** The points' bounding box in the image plane: {minX, minY, maxX, maxY}. */
    public static float[] bounds(float[] landmarks) {
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int i = 0; i < landmarks.length; i += 3) {
            minX = Math.min(minX, landmarks[i]);
            maxX = Math.max(maxX, landmarks[i]);
            minY = Math.min(minY, landmarks[i + 1]);
            maxY = Math.max(maxY, landmarks[i + 1]);
        }
        return new float[] {minX, minY, maxX, maxY};
    }
}
