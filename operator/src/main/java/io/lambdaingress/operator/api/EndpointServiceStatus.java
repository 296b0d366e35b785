package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The VPC endpoint service as it exists in AWS, with the connections consumers asked for. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointServiceStatus {

  @JsonPropertyDescription("Id of the endpoint service (vpce-svc-...).")
  private String serviceId;

  @JsonPropertyDescription("Name consumers create their interface endpoints with (com.amazonaws.vpce.<region>.vpce-svc-...).")
  private String serviceName;

  @JsonPropertyDescription("The service's state in AWS: Pending, Available, Deleting, Deleted or Failed.")
  private String state;

  @JsonPropertyDescription("Private DNS name verification: publish the TXT record named here in the domain's public zone.")
  private PrivateDns privateDns;

  @JsonPropertyDescription("Endpoint connections: each consumer endpoint, its owner account and its state.")
  private List<Connection> connections;

  /** The TXT record AWS verifies the private DNS name with. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrivateDns {
    @JsonPropertyDescription("pendingVerification, verified or failed.")
    private String state;

    @JsonPropertyDescription("Full name of the TXT record to publish (a subdomain of the private DNS name).")
    private String txtRecordName;

    @JsonPropertyDescription("Value of the TXT record to publish.")
    private String txtRecordValue;

    public String getState() {
      return state;
    }

    public void setState(String state) {
      this.state = state;
    }

    public String getTxtRecordName() {
      return txtRecordName;
    }

    public void setTxtRecordName(String txtRecordName) {
      this.txtRecordName = txtRecordName;
    }

    public String getTxtRecordValue() {
      return txtRecordValue;
    }

    public void setTxtRecordValue(String txtRecordValue) {
      this.txtRecordValue = txtRecordValue;
    }
  }

  /** One consumer endpoint's connection to the service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Connection {
    @JsonPropertyDescription("The consumer's VPC endpoint id (vpce-...).")
    private String endpointId;

    @JsonPropertyDescription("The AWS account that owns the endpoint.")
    private String ownerAccount;

    @JsonPropertyDescription("As AWS spells it: pendingAcceptance, available, rejected, deleted, ...")
    private String state;

    public Connection() {}

    public Connection(String endpointId, String ownerAccount, String state) {
      this.endpointId = endpointId;
      this.ownerAccount = ownerAccount;
      this.state = state;
    }

    public String getEndpointId() {
      return endpointId;
    }

    public void setEndpointId(String endpointId) {
      this.endpointId = endpointId;
    }

    public String getOwnerAccount() {
      return ownerAccount;
    }

    public void setOwnerAccount(String ownerAccount) {
      this.ownerAccount = ownerAccount;
    }

    public String getState() {
      return state;
    }

    public void setState(String state) {
      this.state = state;
    }
  }

  public String getServiceId() {
    return serviceId;
  }

  public void setServiceId(String serviceId) {
    this.serviceId = serviceId;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public PrivateDns getPrivateDns() {
    return privateDns;
  }

  public void setPrivateDns(PrivateDns privateDns) {
    this.privateDns = privateDns;
  }

  public List<Connection> getConnections() {
    return connections;
  }

  public void setConnections(List<Connection> connections) {
    this.connections = connections;
  }
}
