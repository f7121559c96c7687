package io.miniflow.shared.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The command line for operators (docs/operations.md): {@code new-key <id>} prints a fresh master key,
 * {@code encrypt} prints the {@code mf1:} form of the secret read from standard input, encrypted with the master key
 * in {@code MINIFLOW_SECRETS_MASTER_KEY}. Neither the key nor the secret is taken as an argument, so neither lands in
 * the shell history or the process list. Needs nothing but the JDK.
 */
public final class SecretTool {

    static final String MASTER_KEY_VARIABLE = "MINIFLOW_SECRETS_MASTER_KEY";
    private static final String USAGE = """
        usage: SecretTool new-key <id>   print a new master key <id>:<base64 of 32 random bytes>
               SecretTool encrypt        print the mf1: form of the secret on standard input, encrypted with
                                         the master key in MINIFLOW_SECRETS_MASTER_KEY""";

    private SecretTool() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /** The exit status: 0 done, 1 failed, 2 wrong usage. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env)
            throws IOException {
        if (args.length == 2 && "new-key".equals(args[0])) {
            try {
                out.println(MasterKey.generate(args[1]).toConfigValue());
                return 0;
            } catch (SecretBoxException e) {
                err.println(e.getMessage());
                return 1;
            }
        }
        if (args.length == 1 && "encrypt".equals(args[0])) {
            String key = env.get(MASTER_KEY_VARIABLE);
            if (key == null || key.isBlank()) {
                err.println(MASTER_KEY_VARIABLE + " is not set");
                return 1;
            }
            String secret = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // `echo secret | ...` adds a line end that is not part of the secret.
            secret = secret.endsWith("\r\n") ? secret.substring(0, secret.length() - 2)
                : secret.endsWith("\n") ? secret.substring(0, secret.length() - 1) : secret;
            if (secret.isEmpty()) {
                err.println("no secret on standard input");
                return 1;
            }
            try {
                out.println(new SecretBox(MasterKey.parse(key)).encrypt(secret));
                return 0;
            } catch (SecretBoxException e) {
                err.println(e.getMessage());
                return 1;
            }
        }
        err.println(USAGE);
        return 2;
    }
}
