package io.loopline.schemas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.data.RecordBuilder;
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

    /**
     * Sets the builder's {@code request_id}, {@code tenant} and {@code requested_at} to those of {@code from}: the
     * event a stage writes carries the envelope of the event it answers.
     *
     * @param to a generated event's builder
     * @return {@code to}, to go on building
     */
    public static <B extends RecordBuilder<?>> B copyEnvelope(SpecificRecord from, B to) {
        try {
            EnvelopeSetters setters = SETTERS.get(to.getClass());
            setters.requestId().invoke(to, requestId(from));
            setters.tenant().invoke(to, tenant(from));
            setters.requestedAt().invoke(to, requestedAt(from));
            return to;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(
                    "Cannot set the envelope of " + to.getClass().getName(), e);
        }
    }

    private record EnvelopeSetters(MethodHandle requestId, MethodHandle tenant, MethodHandle requestedAt) {}

    /** The generated setters of each builder class, looked up once. */
    private static final ClassValue<EnvelopeSetters> SETTERS = new ClassValue<>() {
        @Override
        protected EnvelopeSetters computeValue(Class<?> builder) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new EnvelopeSetters(
                        lookup.unreflect(builder.getMethod("setRequestId", String.class)),
                        lookup.unreflect(builder.getMethod("setTenant", String.class)),
                        lookup.unreflect(builder.getMethod("setRequestedAt", Instant.class)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(builder.getName() + " is not the builder of an event", e);
            }
        }
    };

    private static Object field(SpecificRecord event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        if (field == null) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " has no field " + name);
        }
        return event.get(field.pos());
    }
}
