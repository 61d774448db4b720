package io.loopline.model.pack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The names {@code pack.json} gives an enum's constants: the constant's name in lower case
 * ({@code SCALED_LINEAR} is {@code scaled_linear}, as diffusers writes it). One mapping for every enum a
 * manifest names, so that what the loader accepts and what the runtime reads cannot drift apart.
 */
public final class ManifestNames {

    private ManifestNames() {}

    /** The manifest's names for {@code type}'s constants, in declaration order. */
    public static <E extends Enum<E>> List<String> of(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ManifestNames::name).toList();
    }

    /** The manifest's name for {@code value}. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} that {@code name} names; IllegalArgumentException if none does. */
    public static <E extends Enum<E>> E parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "Unknown " + type.getSimpleName() + " " + name + " (expected one of " + of(type) + ")");
    }
}
