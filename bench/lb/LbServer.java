import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LoadBalancer;
import java.nio.file.Path;

/** Runs the Switchboard load balancer from a YAML file for the benchmark (same as `switchboard lb run`). */
public class LbServer {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    LoadBalancer lb = LoadBalancer.start(LbConfig.load(Path.of(args[0])), threads);
    System.out.println("switchboard lb up, admin port " + lb.adminPort() + ", epoll="
        + io.netty.channel.epoll.Epoll.isAvailable());
    Runtime.getRuntime().addShutdownHook(new Thread(lb::close));
    Thread.currentThread().join();
  }
}
