package khlang.engine;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/** Single-node Elasticsearch 7.10 for Khlang dev/tests. Prints "ENGINE READY <url>" when usable; stops on SIGTERM. */
public final class Elasticsearch7 {
    public static void main(String[] args) throws Exception {
        Options options = Options.read();
        // elasticsearch-py >= 7.14 rejects 7.x servers whose build_flavor != "default" (this OSS embed reports
        // "unknown"); report "default" unless overridden with -Des.distribution.flavor=...
        if (System.getProperty("es.distribution.flavor") == null) System.setProperty("es.distribution.flavor", "default");
        PrintStream out = System.out; // ES later redirects System.out into its logger
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        CountDownLatch stopped = Options.stopOnShutdown(out, () -> {
            runner.close();
            if (options.temp) runner.clean();
        });

        runner.onBuild((index, s) -> {
            options.nodeSettings().forEach(s::put);
            s.putList("node.roles", "master", "data", "ingest")
                    .put("logger.org.elasticsearch.action", "info"); // runner's log4j2.properties says debug
        });
        runner.setMaxHttpPort(-1); // no port probing: fail loudly if the port is taken
        runner.build(ElasticsearchClusterRunner.newConfigs()
                .clusterName("khlang")
                .numOfNode(1)
                .baseHttpPort(options.port - 1) // runner uses base + node id (1); only affects its banner
                .basePath(options.base.toString())
                .pluginTypes("org.elasticsearch.plugin.analysis.icu.AnalysisICUPlugin"));
        runner.ensureYellow();
        options.serveUntil(out, stopped);
    }
}
