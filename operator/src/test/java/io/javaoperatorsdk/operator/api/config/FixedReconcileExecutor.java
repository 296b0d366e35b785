package io.javaoperatorsdk.operator.api.config;

import java.util.concurrent.ExecutorService;

/**
 * JOSDK's executor manager handing out one given pool for reconciles: for {@code JosdkSameNameRecreateTest}, which
 * drives JOSDK's EventProcessor by hand. Made without its constructor (which wants a started ConfigurationService).
 */
public class FixedReconcileExecutor extends ExecutorServiceManager {

  private volatile ExecutorService pool;

  FixedReconcileExecutor() {
    super(null);
  }

  public FixedReconcileExecutor use(ExecutorService pool) {
    this.pool = pool;
    return this;
  }

  @Override
  public ExecutorService reconcileExecutorService() {
    return pool;
  }
}
