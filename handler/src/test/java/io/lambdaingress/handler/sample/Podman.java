package io.lambdaingress.handler.sample;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as dev/images.sh runs it on this kind of machine (runc: crun refuses hybrid cgroups; cgroupfs; ulimits
 * within what the machine permits), and the project's scripts; a failure carries the command's output.
 */
final class Podman {

    private Podman() {
    }

    static String podman(List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager=cgroupfs"));
        if (arguments.get(0).equals("run")) {
            command.add("run");
            command.addAll(List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
            command.addAll(arguments.subList(1, arguments.size()));
        } else {
            command.addAll(arguments);
        }
        return run(Path.of("."), command, timeout);
    }

    /** A list of the image's config (Entrypoint, Cmd). */
    static List<String> configList(String image, String field) throws IOException, InterruptedException {
        String json = podman(List.of("image", "inspect", "--format", "{{json .Config." + field + "}}", image), Duration.ofMinutes(1));
        return JSON.std.listOfFrom(String.class, json);
    }

    static String logs(String container) {
        try {
            return podman(List.of("logs", container), Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | AssertionError e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    /** Runs a command in dir; its stdout, or an AssertionError with stdout and stderr when it fails. */
    static String run(Path dir, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("podman", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + "\n" + stdout + Files.readString(stderr));
            }
            System.err.print(Files.readString(stderr)); // dev/images.sh's progress and image facts, in the test's log
            return stdout;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
