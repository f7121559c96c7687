package io.miniflow.cloudapp.build;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The shell scripts a starter environment's server runs through Cloud Assistant. Values reach the script base64
 * encoded, so nothing in a password or a PEM is read by the shell.
 */
public final class ServerScripts {

    private ServerScripts() {
    }

    static String installMysql(String database, String account, String password) {
        return "#!/bin/bash\nset -euo pipefail\n"
            + "command -v mysqld >/dev/null || (yum install -y mysql-server || apt-get install -y mysql-server)\n"
            + "systemctl enable --now mysqld 2>/dev/null || systemctl enable --now mysql\n"
            + "DB=$(echo " + b64(database) + " | base64 -d); USER=$(echo " + b64(account) + " | base64 -d); "
            + "PASS=$(echo " + b64(password) + " | base64 -d)\n"
            + "mysql -uroot -e \"CREATE DATABASE IF NOT EXISTS \\`$DB\\` CHARACTER SET utf8mb4; "
            + "CREATE USER IF NOT EXISTS '$USER'@'localhost' IDENTIFIED BY '$PASS'; "
            + "GRANT ALL ON \\`$DB\\`.* TO '$USER'@'localhost';\"\n";
    }

    /** nginx serves the domain over https with the certificate and passes requests to the app's port. */
    public static String installCertificate(String domain, String certificatePem, String privateKeyPem, int appPort) {
        return "mkdir -p /etc/nginx/ssl && chmod 700 /etc/nginx/ssl\n"
            + "echo " + b64(certificatePem) + " | base64 -d > /etc/nginx/ssl/" + domain + ".crt\n"
            + "echo " + b64(privateKeyPem) + " | base64 -d > /etc/nginx/ssl/" + domain + ".key\n"
            + "chmod 600 /etc/nginx/ssl/" + domain + ".key\n"
            + "cat > /etc/nginx/conf.d/" + domain + ".conf <<'NGINX'\n"
            + "server {\n  listen 443 ssl;\n  server_name " + domain + ";\n"
            + "  ssl_certificate /etc/nginx/ssl/" + domain + ".crt;\n"
            + "  ssl_certificate_key /etc/nginx/ssl/" + domain + ".key;\n"
            + "  location / { proxy_pass http://127.0.0.1:" + appPort + "; }\n}\nNGINX\n"
            + "nginx -t && (systemctl reload nginx || systemctl restart nginx)\n";
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
