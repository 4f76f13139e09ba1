package khlang.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Port and data folder of the engine, from system properties or the environment (see pom.xml). */
final class Options {
    final int port;
    final boolean temp; // a throwaway data folder, removed on stop
    final Path base;

    private Options(int port, boolean temp, Path base) {
        this.port = port;
        this.temp = temp;
        this.base = base;
    }

    private static String opt(String prop, String env, String def) {
        String v = System.getProperty(prop);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? def : v.trim();
    }

    static Options read() throws IOException {
        int port = Integer.parseInt(opt("khlang.engine.port", "KHLANG_ENGINE_PORT", "9200"));
        String home = opt("khlang.engine.home", "KHLANG_ENGINE_HOME", ".");
        String data = opt("khlang.engine.data", "KHLANG_ENGINE_DATA", Paths.get(home, "data").toString());
        boolean temp = data.equals("tmp");
        Path base = temp ? Files.createTempDirectory("khlang-engine") : Paths.get(data).toAbsolutePath();
        Files.createDirectories(base);
        return new Options(port, temp, base);
    }

    /** The transport ports, kept away from other engines' HTTP ports. */
    String transportPorts() {
        return (port + 100) + "-" + (port + 199);
    }

    /** The settings of a single local node that both engines take alike. */
    Map<String, String> nodeSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("network.host", "127.0.0.1");
        settings.put("http.port", String.valueOf(port));
        settings.put("transport.port", transportPorts());
        settings.put("discovery.type", "single-node");
        settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        settings.put("bootstrap.memory_lock", "false");
        return settings;
    }

    /** What closes a runner and, for a throwaway data folder, removes it. */
    interface Closer {
        void close() throws Exception;
    }

    /**
     * Runs `closer` on SIGTERM, then prints "ENGINE STOPPED". Call before building the runner,
     * with System.out as it was: the engine later redirects System.out into its logger.
     */
    static CountDownLatch stopOnShutdown(PrintStream out, Closer closer) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closer.close();
            } catch (Exception e) {
                System.err.println("ENGINE close failed: " + e);
            }
            out.println("ENGINE STOPPED");
            out.flush();
            stopped.countDown();
        }, "khlang-engine-shutdown"));
        return stopped;
    }

    /** Prints "ENGINE READY <url>" (start.sh waits for it) and waits until stopped. */
    void serveUntil(PrintStream out, CountDownLatch stopped) throws InterruptedException {
        out.println("ENGINE READY http://127.0.0.1:" + port);
        out.flush();
        stopped.await();
    }
}
