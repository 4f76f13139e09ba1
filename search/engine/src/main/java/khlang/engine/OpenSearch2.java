package khlang.engine;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/** Single-node OpenSearch 2.19 for Khlang dev/tests. Prints "ENGINE READY <url>" when usable; stops on SIGTERM. */
public final class OpenSearch2 {
    public static void main(String[] args) throws Exception {
        Options options = Options.read();
        PrintStream out = System.out; // OpenSearch later redirects System.out into its logger
        OpenSearchRunner runner = new OpenSearchRunner();
        CountDownLatch stopped = Options.stopOnShutdown(out, () -> {
            runner.close();
            if (options.temp) runner.clean();
        });

        runner.onBuild((index, s) -> {
            options.nodeSettings().forEach(s::put);
            s.putList("node.roles", "cluster_manager", "data", "ingest")
                    .put("logger.org.opensearch.action", "info"); // runner's log4j2.properties says debug
        });
        runner.setMaxHttpPort(-1); // no port probing: fail loudly if the port is taken
        runner.build(OpenSearchRunner.newConfigs()
                .clusterName("khlang")
                .numOfNode(1)
                .baseHttpPort(options.port - 1) // runner uses base + node id (1); only affects its banner
                .basePath(options.base.toString()));
        runner.ensureYellow();
        options.serveUntil(out, stopped);
    }
}
