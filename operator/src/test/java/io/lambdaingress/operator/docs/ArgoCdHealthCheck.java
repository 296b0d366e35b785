package io.lambdaingress.operator.docs;

import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * docs/argocd/lambdaingress-health.lua run as Argo CD runs a health customization: a fresh Lua state with
 * the base, package, table, string and math libraries (no io, os or Java access), the live object as the
 * global {@code obj} (numbers as Lua numbers, as Argo CD converts them), and the returned table read as
 * {@code {status, message}}.
 */
public final class ArgoCdHealthCheck {

  public static final Path SCRIPT = LocalWorld.repoRoot().resolve("docs/argocd/lambdaingress-health.lua");

  /** What Argo CD would show for the object. */
  public record Health(String status, String message) {}

  private ArgoCdHealthCheck() {}

  public static Health evaluate(Map<String, Object> object) {
    try {
      return evaluate(Files.readString(SCRIPT), object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Health evaluate(String script, Map<String, Object> object) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(script, "lambdaingress-health.lua").call();
    if (!result.istable()) {
      throw new AssertionError("the health check returned " + result.typename() + ", not a table");
    }
    LuaValue status = result.get("status");
    LuaValue message = result.get("message");
    return new Health(status.isnil() ? null : status.tojstring(), message.isnil() ? null : message.tojstring());
  }

  static LuaValue toLua(Object value) {
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> {
        if (v != null) {
          table.set(String.valueOf(k), toLua(v));
        }
      });
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return LuaValue.valueOf(String.valueOf(value));
  }
}
