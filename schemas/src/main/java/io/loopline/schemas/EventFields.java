package io.loopline.schemas;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The fields every event carries ({@code request_id}, {@code tenant}, {@code requested_at}), read
 * from any generated event class. A test checks that every catalog value type has them.
 */
public final class EventFields {

    public static final String REQUEST_ID = "request_id";
    public static final String TENANT = "tenant";
    public static final String REQUESTED_AT = "requested_at";

    private EventFields() {}

    public static String requestId(SpecificRecord event) {
        return (String) field(event, REQUEST_ID);
    }

    public static String tenant(SpecificRecord event) {
        return (String) field(event, TENANT);
    }

    public static Instant requestedAt(SpecificRecord event) {
        return (Instant) field(event, REQUESTED_AT);
    }

    private static Object field(SpecificRecord event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        if (field == null) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " has no field " + name);
        }
        return event.get(field.pos());
    }
}
