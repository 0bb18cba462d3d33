package dev.mandate.kernel.ledger.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

import javax.sql.DataSource;

/** A data source whose connections run a hook inside every {@code commit()}, before the real one. */
final class CommitHook {
    private CommitHook() {
    }

    static DataSource around(DataSource database, Runnable beforeCommit) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, database, args);
                    if (!(result instanceof Connection real)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (connection, call, callArgs) -> {
                                if (call.getName().equals("commit")) {
                                    beforeCommit.run();
                                }
                                return invoke(call, real, callArgs);
                            });
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
