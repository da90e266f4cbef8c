package io.parley.local.demo;

import io.parley.demo.DemoShopDatabase;
import io.parley.demo.ShopApi;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parley.local.LoggingSetup;
import io.parley.runtime.ClassArchiveWriter;
import io.parley.runtime.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the demo shop HTTP API on its own, as docker-compose does:
 * {@code ShopApiMain --host 0.0.0.0 --port 8090 --jdbc-url jdbc:postgresql://postgres:5432/shop --jdbc-user shop},
 * with the database password in the environment variable named by {@code --jdbc-password-env}.
 * Without {@code --jdbc-url} it seeds and reads an in-memory H2 demo shop of its own.
 */
@Command(name = "shop-api", mixinStandardHelpOptions = true,
        description = "Serves the Parley demo shop HTTP API (orders, inventory, store hours).")
public final class ShopApiMain implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--jdbc-url", description = "JDBC URL of the demo shop database; without it an in-memory H2 shop is seeded.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "shop", description = "Database user (default: ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(names = "--jdbc-password-env", defaultValue = "SHOP_DB_PASSWORD",
            description = "Environment variable holding the database password (default: ${DEFAULT-VALUE}).")
    String jdbcPasswordEnv;

    @Option(names = "--latency", defaultValue = "0ms",
            description = "Latency added to every answer, e.g. 3s (default: ${DEFAULT-VALUE}).")
    String latency;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        LoggingSetup.use("parley-shop-api-logback.xml");
        System.exit(new CommandLine(new ShopApiMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration delay = Durations.parse("--latency", latency);
        try (DemoShopSource source = DemoShopSource.open(Optional.ofNullable(jdbcUrl), jdbcUser, System.getenv(jdbcPasswordEnv));
             ShopApi api = ShopApi.builder(source.dataSource()).host(host).port(port).latency(delay).start()) {
            ClassArchiveWriter.startIfAsked();
            // Its image's entrypoint asks for a class archive as every service's does (see ClassArchiveWriter).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                ClassArchiveWriter.writeAtCleanStop();
            }, "shop-api-shutdown"));
            PrintWriter out = new PrintWriter(System.out, true);
            out.println("Demo shop API listening on " + host + ":" + api.port() + ", reading " + source.description());
            stopped.await();
        }
        return 0;
    }

    /** The database the API reads: PostgreSQL (or any JDBC URL) through a pool, or a seeded in-memory H2. */
    private record DemoShopSource(HikariDataSource dataSource, Optional<DemoShopDatabase> ownDatabase, String description)
            implements AutoCloseable {

        static DemoShopSource open(Optional<String> jdbcUrl, String user, String password) {
            if (jdbcUrl.isEmpty()) {
                DemoShopDatabase database = DemoShopDatabase.startInMemory("shop-api");
                return new DemoShopSource(pool(database.jdbcUrl(), database.user(), database.password()),
                        Optional.of(database), "an in-memory H2 demo shop");
            }
            return new DemoShopSource(pool(jdbcUrl.get(), user, password), Optional.empty(),
                    "the database at " + jdbcUrl.get().replaceAll("[?;].*$", ""));
        }

        private static HikariDataSource pool(String url, String user, String password) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("shop-api");
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(4);
            config.setReadOnly(true);
            // In docker-compose the database may still be starting: keep trying for a while.
            config.setInitializationFailTimeout(Duration.ofSeconds(60).toMillis());
            return new HikariDataSource(config);
        }

        @Override
        public void close() {
            dataSource.close();
            ownDatabase.ifPresent(DemoShopDatabase::close);
        }
    }
}
