package io.loopline.model.reference;

import java.util.List;

/**
 * The reference pack's motion latents: one row of {@link #COUNT} values per video frame, produced by
 * its A2L model and consumed by its denoiser. Expressions are 0..1 (width −1..1); head angles are
 * radians.
 */
public final class Motion {

    /** Jaw opening, 0 closed … 1 wide open. */
    public static final int JAW = 0;
    /** Lip corners: + spread (E, I), − narrow. */
    public static final int WIDTH = 1;
    /** Lip rounding / pucker (O, U). */
    public static final int ROUND = 2;
    /** Brow raise (emphasis, surprise). */
    public static final int BROW = 3;
    /** Eyelid closure (blinks). */
    public static final int BLINK = 4;
    /** Head nod, radians (+ down). */
    public static final int PITCH = 5;
    /** Head turn, radians (+ toward image right). */
    public static final int YAW = 6;
    /** Head tilt, radians (+ clockwise in the image). */
    public static final int ROLL = 7;
    /** Breathing: shoulders and body rise, 0..1. */
    public static final int BREATH = 8;
    /** Lips pressed together over their rest gap, 0..1 (bilabials; silence for a portrait whose lips are apart at rest). */
    public static final int CLOSE = 9;
    /** Gaze, −1 (towards the image's left) … 1 (right). */
    public static final int GAZE = 10;

    /** Shoulders raised (a shrug on emphasis, an inhale before a phrase), 0..1. */
    public static final int SHOULDERS = 11;
    /** Torso tilt, radians (+ clockwise in the image): the body follows the head's roll a little. */
    public static final int LEAN = 12;
    /** The subject's left forearm raised about the elbow (beats on stressed syllables, a lift on emphasis), 0..~1.2. */
    public static final int ARM_LEFT = 13;
    /** The subject's right forearm, as {@link #ARM_LEFT}. */
    public static final int ARM_RIGHT = 14;
    /** The subject's left hand dipping on a beat's stroke, 0..1. */
    public static final int WRIST_LEFT = 15;
    /** The subject's right hand, as {@link #WRIST_LEFT}. */
    public static final int WRIST_RIGHT = 16;

    /** The face's channels: all a portrait uses. */
    public static final int FACE_COUNT = 11;

    public static final int COUNT = 17;

    public static final List<String> NAMES = List.of(
            "jaw",
            "width",
            "round",
            "brow",
            "blink",
            "pitch",
            "yaw",
            "roll",
            "breath",
            "close",
            "gaze",
            "shoulders",
            "lean",
            "arm_left",
            "arm_right",
            "wrist_left",
            "wrist_right");

    private Motion() {}
}
