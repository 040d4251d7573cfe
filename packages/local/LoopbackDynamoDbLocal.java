import java.lang.reflect.Field;
import java.lang.reflect.Method;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local with its HTTP server bound to 127.0.0.1 only. DynamoDB Local has no host
 * option: its Jetty server is built with `new Server(port)`, which listens on every interface,
 * so anyone on the network could read and write the tables. This builds the server from the
 * usual command line (`-port`, `-inMemory`, `-dbPath`, `-sharedDb`, ...), sets the host of each
 * of its Jetty connectors before it starts, and refuses to start when it cannot.
 *
 * Started by dynamodb-local.ts, in Java's single-file source mode or compiled; the class path is
 * DynamoDBLocal.jar and DynamoDBLocal_lib. Jetty is reached by reflection, so only this file's
 * two DynamoDB Local types are needed to compile it.
 */
public class LoopbackDynamoDbLocal {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
        bindToLoopback(server);
        server.start();
        server.join();
    }

    private static void bindToLoopback(DynamoDBProxyServer proxy) throws Exception {
        Object jetty = null;
        for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
            if (field.getType().getName().equals("org.eclipse.jetty.server.Server")) {
                field.setAccessible(true);
                jetty = field.get(proxy);
            }
        }
        if (jetty == null) fail("no org.eclipse.jetty.server.Server field in DynamoDBProxyServer");
        Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        if (connectors.length == 0) fail("the Jetty server has no connectors");
        for (Object connector : connectors) {
            Method setHost;
            try {
                setHost = connector.getClass().getMethod("setHost", String.class);
            } catch (NoSuchMethodException e) {
                fail("the Jetty connector " + connector.getClass().getName() + " has no setHost");
                return;
            }
            setHost.invoke(connector, HOST);
            Object host = connector.getClass().getMethod("getHost").invoke(connector);
            if (!HOST.equals(host)) fail("the Jetty connector kept host " + host);
        }
    }

    private static void fail(String reason) {
        System.err.println("DynamoDB Local could not be bound to " + HOST + " (" + reason + "); not starting it.");
        System.exit(2);
    }
}
