package io.loopline.ingest.internals;

/**
 * A face found in an image, in that image's pixel coordinates.
 *
 * @param x          left of the face box
 * @param y          top of the face box
 * @param width      box width
 * @param height     box height
 * @param score      detector confidence in [0, 1]
 * @param presence   face-presence score of the landmark model in [0, 1]
 * @param detector   which detector found it
 * @param landmarks  468 × (x, y, z) MediaPipe face-mesh points, x and y in image pixels, z in the same scale
 */
public record Face(
        float x, float y, float width, float height, float score, float presence, String detector, float[] landmarks) {

    public static final int LANDMARK_COUNT = 468;

    public float centerX() {
        return x + width / 2;
    }

    public float centerY() {
        return y + height / 2;
    }

    public float area() {
        return width * height;
    }

    /** Point {@code i} of the mesh: {x, y, z}. */
    public float[] landmark(int i) {
        return new float[] {landmarks[3 * i], landmarks[3 * i + 1], landmarks[3 * i + 2]};
    }
}
