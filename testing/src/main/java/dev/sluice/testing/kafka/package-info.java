/**
 * Kafka's own KRaft broker for tests ({@link dev.sluice.testing.kafka.KafkaBroker}, one per test
 * class through {@link dev.sluice.testing.kafka.KafkaBrokerExtension}) and for users ({@code
 * ./sluice kafka start}: {@link dev.sluice.testing.kafka.KafkaBrokerMain}), plus the plain-client
 * tools behind {@code ./sluice kafka produce|consume|status}. Scala 2.13 comes with the broker, so
 * the Spark module keeps this package's Kafka dependencies off its classpath.
 */
package dev.sluice.testing.kafka;
