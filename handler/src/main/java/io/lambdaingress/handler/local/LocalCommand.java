package io.lambdaingress.handler.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.lambdaingress.handler.EventForm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of a function jar, for running it outside Lambda:
 *
 * <pre>
 * invoke EVENT.json        handle one ALB event (a file, or - for stdin); the response JSON goes to stdout
 * serve [--port N] [--host ADDRESS] [--multi-value-headers]
 *                          an HTTP server that plays the ALB in front of the function (default 127.0.0.1:8080)
 * </pre>
 *
 * Logs go to stderr so that stdout of {@code invoke} is exactly the response JSON.
 */
public final class LocalCommand {

    static final String USAGE = """
            usage: java -jar FUNCTION.jar invoke EVENT.json
                       handle one ALB event (a file, or - for stdin); print the response JSON on stdout
                   java -jar FUNCTION.jar serve [--port N] [--host ADDRESS] [--multi-value-headers]
                       serve HTTP on ADDRESS:N (default 127.0.0.1:8080), turning each request into an ALB
                       event; --multi-value-headers sends the multi-value event form
            """;

    private LocalCommand() {
    }

    /** Runs the command and returns the process exit code; {@code serve} returns only when interrupted. */
    public static int run(RequestStreamHandler function, String[] args, InputStream stdin, PrintStream stdout,
                          PrintStream stderr) {
        if (args.length == 0) {
            stderr.print(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "invoke" -> invoke(function, args, stdin, stdout, stderr);
                case "serve" -> serve(function, args, stdout, stderr);
                case "help", "--help", "-h" -> {
                    stdout.print(USAGE);
                    yield 0;
                }
                default -> usageError(stderr, "unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            return usageError(stderr, e.getMessage());
        }
    }

    private static int invoke(RequestStreamHandler function, String[] args, InputStream stdin, PrintStream stdout,
                              PrintStream stderr) {
        if (args.length != 2) {
            throw new IllegalArgumentException("invoke takes one event file (or - for stdin)");
        }
        byte[] event;
        try {
            event = "-".equals(args[1]) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(args[1]));
        } catch (NoSuchFileException e) {
            stderr.println("invoke: no such event file: " + args[1]);
            return 1;
        } catch (IOException e) {
            stderr.println("invoke: cannot read " + args[1] + ": " + e.getMessage());
            return 1;
        }
        try {
            function.handleRequest(new ByteArrayInputStream(event), stdout,
                    LocalContext.fresh(function.getClass().getSimpleName(), stderr));
        } catch (IOException e) {
            stderr.println("invoke: " + e.getMessage());
            return 1;
        }
        stdout.println();
        stdout.flush();
        return 0;
    }

    private static int serve(RequestStreamHandler function, String[] args, PrintStream stdout, PrintStream stderr) {
        String host = "127.0.0.1";
        int port = 8080;
        EventForm form = EventForm.SINGLE_VALUE;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--multi-value-headers" -> form = EventForm.MULTI_VALUE;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' for serve");
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (LocalServer server = LocalServer.start(function, new InetSocketAddress(host, port), form, stderr)) {
            stdout.println("serving " + function.getClass().getSimpleName() + " as an ALB ("
                    + form.name().toLowerCase().replace('_', '-') + " events) on http://" + server.host() + ":"
                    + server.port() + "/ ; Ctrl-C stops");
            stdout.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        } catch (IOException e) {
            stderr.println("serve: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be 0..65535, was '" + text + "'");
        }
    }

    private static int usageError(PrintStream stderr, String problem) {
        stderr.println(problem);
        stderr.print(USAGE);
        return 2;
    }
}
