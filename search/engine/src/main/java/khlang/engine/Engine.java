package khlang.engine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/** Single-node Elasticsearch for Khlang dev/tests. Prints "ENGINE READY <url>" when usable; stops on SIGTERM. */
public final class Engine {
    private static String opt(String prop, String env, String def) {
        String v = System.getProperty(prop);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? def : v.trim();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(opt("khlang.engine.port", "KHLANG_ENGINE_PORT", "9200"));
        String home = opt("khlang.engine.home", "KHLANG_ENGINE_HOME", ".");
        String data = opt("khlang.engine.data", "KHLANG_ENGINE_DATA", Paths.get(home, "data").toString());
        boolean temp = data.equals("tmp");
        Path base = temp ? Files.createTempDirectory("khlang-engine") : Paths.get(data).toAbsolutePath();
        Files.createDirectories(base);

        // elasticsearch-py >= 7.14 rejects 7.x servers whose build_flavor != "default" (this OSS embed reports
        // "unknown"); report "default" unless overridden with -Des.distribution.flavor=...
        if (System.getProperty("es.distribution.flavor") == null) System.setProperty("es.distribution.flavor", "default");
        PrintStream out = System.out; // ES later redirects System.out into its logger
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
                if (temp) runner.clean();
            } catch (Exception e) {
                System.err.println("ENGINE close failed: " + e);
            }
            out.println("ENGINE STOPPED");
            out.flush();
            stopped.countDown();
        }, "khlang-engine-shutdown"));

        runner.onBuild((index, s) -> s
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                .put("transport.port", (port + 100) + "-" + (port + 199))
                .put("discovery.type", "single-node")
                .putList("node.roles", "master", "data", "ingest")
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("bootstrap.memory_lock", false)
                .put("logger.org.elasticsearch.action", "info")); // runner's log4j2.properties says debug
        runner.setMaxHttpPort(-1); // no port probing: fail loudly if the port is taken
        runner.build(ElasticsearchClusterRunner.newConfigs()
                .clusterName("khlang")
                .numOfNode(1)
                .baseHttpPort(port - 1) // runner uses base + node id (1); only affects its banner
                .basePath(base.toString())
                .pluginTypes("org.elasticsearch.plugin.analysis.icu.AnalysisICUPlugin"));
        runner.ensureYellow();
        out.println("ENGINE READY http://127.0.0.1:" + port);
        out.flush();
        stopped.await();
    }
}
