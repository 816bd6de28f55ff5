import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local on the loopback address only. Its own main binds Jetty to every interface
 * and has no option to choose one, and it answers anyone without authentication. This
 * builds the same server from the same command-line options, then moves its connector to
 * the loopback address before it starts listening.
 *
 * Run in source-file mode (`java -cp DynamoDBLocal.jar LoopbackDynamoDBLocal.java ...`),
 * so the repository holds no compiled class.
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("dynamodb.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // The Jetty server is private and has no accessor; its class is in the jar on the class
    // path (the unnamed module), so reflection may open it.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local built no connector to bind");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("DynamoDB Local built an unknown connector: " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(host);
    }
    proxy.start();
    if (!jetty.isStarted()) {
      // start() prints why (a port in use) and returns; a live JVM would look like a server.
      System.exit(1);
    }
  }
}
