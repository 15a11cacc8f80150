package org.rnn4j.flink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster as a Flink distribution's {@code bin/start-cluster.sh} starts it, assembled from
 * Maven artifacts (no Flink tarball is needed): {@code lib/} is Flink's jars and Flink's log4j (copied by the build to
 * {@code target/flink-dist/lib}), {@code conf/config.yaml} is written here, and the JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}) each run in their own
 * JVM on 127.0.0.1 with {@code --configDir conf}, as the scripts start them. {@link #flink} is {@code bin/flink}:
 * {@code CliFrontend} in a third JVM with {@code FLINK_CONF_DIR} set. Every process logs to {@code log/} under the
 * cluster's directory and prints nothing.
 *
 * <p>Not thread-safe: confine to one thread.
 */
final class StandaloneFlink implements AutoCloseable {
    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String CLI = "org.apache.flink.client.cli.CliFrontend";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** The module opens Flink 2's default config.yaml gives every Flink JVM on JDK 17+ (env.java.opts.all). */
    private static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED");
    private static final Pattern SLOTS_TOTAL = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");

    /** What {@code flink ...} did: its exit status and everything it printed. */
    record Cli(int exitCode, String output) {}

    private final Path lib, conf, log;
    private final int slots, restPort;
    private final List<Process> daemons = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "standalone-flink-kill");

    /**
     * Writes {@code conf/} under {@code home} for a cluster of one TaskManager with {@code slots} slots (also the
     * default parallelism), checkpoints under {@code home/checkpoints}, no restart after a failure (a broken job
     * fails the {@code flink run} at once). Starts nothing. Not thread-safe.
     */
    StandaloneFlink(Path lib, Path home, int slots) throws IOException {
        this.lib = lib;
        this.slots = slots;
        this.conf = Files.createDirectories(home.resolve("conf"));
        this.log = Files.createDirectories(home.resolve("log"));
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        int rpcPort = freePort();
        this.restPort = freePort();
        String config = String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + slots,
                "parallelism.default: " + slots,
                // The memory budgets BashJavaUtils turns into each JVM's -Xmx, direct and metaspace limits.
                "taskmanager.memory.task.heap.size: 256m",
                "taskmanager.memory.managed.size: 64m",
                "jobmanager.memory.process.size: 768m",
                "execution.checkpointing.dir: " + home.resolve("checkpoints").toUri(),
                "restart-strategy.type: none",
                "io.tmp.dirs: " + tmp,
                "web.tmpdir: " + tmp.resolve("web"),
                "blob.storage.directory: " + tmp.resolve("blobs"),
                "");
        Files.writeString(conf.resolve("config.yaml"), config);
        // Flink's conf/log4j.properties in spirit: everything to the file the process is given as log.file.
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n",
                ""));
    }

    /**
     * Starts the JobManager and the TaskManager and waits until the cluster's REST API reports all slots registered
     * (at most {@code timeout}; a process that dies on the way fails at once, with its log). Not thread-safe.
     */
    void start(Duration timeout) throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(killOnExit);
        daemons.add(daemon("jobmanager", JOB_MANAGER, "GET_JM_RESOURCE_PARAMS"));
        daemons.add(daemon("taskmanager", TASK_MANAGER, "GET_TM_RESOURCE_PARAMS"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest overview = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/overview"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "(no answer)";
        while (true) {
            for (Process p : daemons) {
                if (!p.isAlive()) throw new IllegalStateException("a Flink process exited with " + p.exitValue() + " while starting\n" + logs());
            }
            try {
                HttpResponse<String> r = http.send(overview, HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                Matcher m = SLOTS_TOTAL.matcher(r.body());
                if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) >= slots) return;
            } catch (IOException notUpYet) {
                last = notUpYet.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not report " + slots + " slots within " + timeout
                        + " (last /overview: " + last + ")\n" + logs());
            }
            Thread.sleep(250);
        }
    }

    /**
     * {@code bin/flink ARGS}: Flink's command-line client against this cluster; waits for it to exit (at most
     * {@code timeout}, then it is killed and this fails). Not thread-safe.
     */
    Cli flink(Duration timeout, List<String> args) throws IOException, InterruptedException {
        ProcessBuilder b = launch("client", CLI, List.of("-Xmx256m"), args);
        b.environment().put("FLINK_CONF_DIR", conf.toString());
        Process p = b.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("flink " + String.join(" ", args) + " did not finish within " + timeout + "\n" + logs());
            }
            return new Cli(p.exitValue(), Files.readString(log.resolve("client.out")));
        } finally {
            stop(p);
        }
    }

    /** The last lines of every process's output and log, for a failure message. Not thread-safe. */
    String logs() {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                s.append("--- ").append(f.getFileName()).append(" (last 40 lines)\n");
                for (String line : lines.subList(Math.max(0, lines.size() - 40), lines.size())) s.append(line).append('\n');
            }
        } catch (IOException e) {
            s.append("(could not read the logs: ").append(e).append(")\n");
        }
        return s.toString();
    }

    /**
     * A JobManager or TaskManager as {@code bin/jobmanager.sh} / {@code bin/taskmanager.sh} start it: Flink's
     * {@code BashJavaUtils} derives the JVM's memory options and the dynamic properties (memory sizes, CPU cores)
     * from config.yaml, and the process gets them with {@code --configDir}.
     */
    private Process daemon(String name, String mainClass, String paramsCommand) throws IOException, InterruptedException {
        Process utils = launch(name + "-params", BASH_JAVA_UTILS, List.of("-Xmx128m"), List.of(paramsCommand, "--configDir", conf.toString())).start();
        if (!utils.waitFor(60, TimeUnit.SECONDS)) {
            stop(utils);
            throw new IllegalStateException("BashJavaUtils " + paramsCommand + " did not finish within 60 s\n" + logs());
        }
        List<String> results = Files.readAllLines(log.resolve(name + "-params.out")).stream()
                .filter(l -> l.startsWith(EXEC_RESULT)).map(l -> l.substring(EXEC_RESULT.length()).trim()).toList();
        if (utils.exitValue() != 0 || results.size() != 2) {
            throw new IllegalStateException("BashJavaUtils " + paramsCommand + " exited with " + utils.exitValue() + " and "
                    + results.size() + " results (expected 2)\n" + logs());
        }
        List<String> jvm = List.of(results.get(0).split("\\s+"));
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        if (!results.get(1).isEmpty()) args.addAll(List.of(results.get(1).split("\\s+")));
        return launch(name, mainClass, jvm, args).start();
    }

    /** A JVM as Flink's scripts start one: lib/* on the class path, the opens, log4j to log/NAME.log, output to log/NAME.out. */
    private ProcessBuilder launch(String name, String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(OPENS);
        cmd.add("-Dlog.file=" + log.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(lib.toAbsolutePath() + "/*");
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.resolve(name + ".out").toFile());
        b.environment().remove("FLINK_CONF_DIR");
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.destroy(); // SIGTERM: Flink's shutdown hooks run
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void killAll() {
        for (Process p : daemons) p.destroyForcibly();
    }

    /** Stops the TaskManager, then the JobManager. Not thread-safe. */
    @Override
    public void close() throws InterruptedException {
        for (int i = daemons.size() - 1; i >= 0; i--) stop(daemons.get(i));
        daemons.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the JVM is exiting (the hook runs) or start() was never called
        }
    }
}
