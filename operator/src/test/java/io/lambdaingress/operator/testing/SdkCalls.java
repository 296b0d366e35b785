package io.lambdaingress.operator.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Any action of an AWS SDK v2 client, called by its API name with its parameters as plain data (the member names
 * of the API reference, as the AWS CLI's JSON uses them), and its answer as plain data: what a recorded AWS answer
 * can be compared with. Enum values stay the strings the service sent (the SDK keeps them so), so spelling counts.
 */
final class SdkCalls {

  /** What a call answered: the response's members, or the service's error. */
  record Answer(int status, Map<String, Object> body, String errorCode, String errorMessage) {
    boolean failed() {
      return errorCode != null;
    }
  }

  private SdkCalls() {}

  static Answer call(SdkClient client, String action, Map<String, Object> params) {
    Method method = method(client, action);
    Class<?> requestType = method.getParameterTypes()[0];
    Object request;
    try {
      request = build(requestType, params == null ? Map.of() : params);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(action + ": cannot build the request from " + params, e);
    }
    try {
      SdkPojo response = (SdkPojo) method.invoke(client, request);
      int status = ((software.amazon.awssdk.core.SdkResponse) response).sdkHttpResponse().statusCode();
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) toData(response);
      return new Answer(status, body, null, null);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof AwsServiceException ase) {
        return new Answer(ase.statusCode(), Map.of(), ase.awsErrorDetails().errorCode(), ase.awsErrorDetails().errorMessage());
      }
      throw new IllegalStateException(action + " failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method method(SdkClient client, String action) {
    String name = Character.toLowerCase(action.charAt(0)) + action.substring(1);
    for (Class<?> type : client.getClass().getInterfaces()) {
      for (Method m : type.getMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 1 && SdkPojo.class.isAssignableFrom(m.getParameterTypes()[0])) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(client.serviceName() + " has no action " + action);
  }

  private static Object build(Class<?> pojoType, Map<?, ?> data) throws ReflectiveOperationException {
    SdkPojo builder = (SdkPojo) pojoType.getMethod("builder").invoke(null);
    fill(builder, data, pojoType.getSimpleName());
    return ((SdkBuilder<?, ?>) builder).build();
  }

  private static void fill(SdkPojo builder, Map<?, ?> data, String where) {
    Map<String, SdkField<?>> fields = new LinkedHashMap<>();
    builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
    data.forEach((k, v) -> {
      SdkField<?> field = fields.get(String.valueOf(k));
      if (field == null) {
        throw new IllegalArgumentException(where + " has no member " + k + " (members: " + fields.keySet() + ")");
      }
      field.set(builder, fromData(field, v, where + "." + k));
    });
  }

  private static Object fromData(SdkField<?> field, Object v, String where) {
    if (v == null) {
      return null;
    }
    MarshallingType<?> type = field.marshallingType();
    switch (type == MarshallingType.STRING ? "String" : type == MarshallingType.INTEGER ? "Integer" : type == MarshallingType.LONG ? "Long"
        : type == MarshallingType.BOOLEAN ? "Boolean" : type == MarshallingType.DOUBLE ? "Double" : type == MarshallingType.FLOAT ? "Float"
        : type == MarshallingType.INSTANT ? "Instant" : type == MarshallingType.SDK_BYTES ? "SdkBytes" : type == MarshallingType.LIST ? "List"
        : type == MarshallingType.MAP ? "Map" : type == MarshallingType.SDK_POJO ? "SdkPojo" : String.valueOf(type)) {
      case "String":
        return String.valueOf(v);
      case "Integer":
        return Integer.valueOf(String.valueOf(v));
      case "Long":
        return Long.valueOf(String.valueOf(v));
      case "Boolean":
        return Boolean.valueOf(String.valueOf(v));
      case "Double":
        return Double.valueOf(String.valueOf(v));
      case "Float":
        return Float.valueOf(String.valueOf(v));
      case "Instant":
        return Instant.parse(String.valueOf(v));
      case "SdkBytes":
        return SdkBytes.fromUtf8String(String.valueOf(v));
      case "List": {
        SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
        List<Object> out = new ArrayList<>();
        for (Object item : (v instanceof List<?> l ? l : List.of(v))) {
          out.add(fromData(member, item, where + "[]"));
        }
        return out;
      }
      case "Map": {
        SdkField<?> value = field.getTrait(MapTrait.class).valueFieldInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), fromData(value, x, where + "." + k)));
        return out;
      }
      case "SdkPojo": {
        SdkPojo nested = field.constructor().get();
        fill(nested, (Map<?, ?>) v, where);
        return ((SdkBuilder<?, ?>) nested).build();
      }
      default:
        throw new IllegalArgumentException(where + ": members of type " + field.marshallingType() + " are not supported");
    }
  }

  /** A response as maps, lists and scalars; members the service did not send are left out. */
  static Object toData(Object value) {
    if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (SdkField<?> f : pojo.sdkFields()) {
        Object v = toData(f.getValueOrDefault(pojo));
        if (v != null) {
          out.put(f.memberName(), v);
        }
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(toData(x)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), toData(x)));
      return out;
    }
    if (value instanceof SdkBytes bytes) {
      return bytes.asUtf8String();
    }
    return value instanceof Instant ? value.toString() : value;
  }
}
