package io.loopline.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked on the main classes of every module (the CLI's class path holds them
 * all): each service stands on core, schemas and the model library alone; a module's {@code internals}
 * are its own; the model library knows nothing of Kafka or of the service framework (the pack-stage
 * module composes the two), and the event schemas carry no Kafka client (their serdes are what clients
 * are configured with).
 */
class ArchitectureTest {

    private static final String ROOT = "io.loopline";
    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");
    private static final List<String> SERVICES = List.of("ingest", "feature", "render", "mux", "status");
    private static final List<String> MODULES = List.of(
            "tensor",
            "schemas",
            "core",
            "streams",
            "embedded",
            "model",
            "packstage",
            "ingest",
            "feature",
            "render",
            "mux",
            "status",
            "quality",
            "client",
            "cli");
    /** Main classes only: test classes come as test-classes folders or, from other modules, as their test jars. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.matches(TEST_JAR))
            .importPackages(ROOT);

    @Test
    void noServiceUsesAnother() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream()
                    .filter(s -> !s.equals(service))
                    .map(s -> ROOT + "." + s + "..")
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(ROOT + "." + service + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because("services talk through topics, not code")
                    .check(MAIN);
        }
    }

    @Test
    void aModulesInternalsAreItsOwn() {
        for (String module : MODULES) {
            noClasses()
                    .that()
                    .resideOutsideOfPackage(ROOT + "." + module + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage(ROOT + "." + module + "..internals..")
                    .because(
                            "internals may change without notice; what other modules need belongs in the public packages")
                    .check(MAIN);
        }
    }

    @Test
    void theModelLibraryKnowsNothingOfKafkaNorOfTheServices() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        ROOT + ".core..",
                        ROOT + ".packstage..",
                        ROOT + ".events..",
                        ROOT + ".schemas..")
                .because(
                        "model-runtime is a library that services compose (pack-stage), usable and testable without a broker")
                .check(MAIN);
    }

    @Test
    void muxAssemblesVideosWithoutTheModelRuntime() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".mux..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".model..", "ai.onnxruntime..")
                .because("mux encodes and measures videos; the model library and ONNX Runtime are the renderers'")
                .check(MAIN);
    }

    @Test
    void theStatusViewReadsEventsOnly() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".status..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".core.storage..", "io.minio..", ROOT + ".tensor..")
                .because("the status view follows the stages' events; it reads no object and holds no credentials")
                .check(MAIN);
    }

    @Test
    void theClientStandsOnCoreAndTheSchemasAlone() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".client..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        SERVICES.stream().map(s -> ROOT + "." + s + "..").toArray(String[]::new))
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".cli..", ROOT + ".embedded..", ROOT + ".model..", ROOT + ".streams..")
                .because("apps depend on the client: it must not bring the pipeline with it")
                .check(MAIN);
    }

    @Test
    void theTensorFormatsAndQualityFiguresStandAlone() {
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".tensor..", ROOT + ".quality..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".core..",
                        ROOT + ".model..",
                        ROOT + ".schemas..",
                        ROOT + ".events..",
                        "org.apache.kafka..")
                .because("every stage and benchmark reads them; they read nothing of the pipeline")
                .check(MAIN);
    }

    @Test
    void theSchemasUseNoKafkaClient() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".schemas..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka.clients..")
                .because("the event schemas and their serdes are read by clients, not one themselves")
                .check(MAIN);
    }
}
