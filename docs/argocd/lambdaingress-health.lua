-- Argo CD health check for lambdaingress.io/LambdaIngress.
-- Install: the key resource.customizations.health.lambdaingress.io_LambdaIngress in argocd-cm
-- (argocd-cm-snippet.yaml). Argo CD sets the global `obj` to the live object and reads the returned table.
--   Healthy      Ready=True, and Ready describes the current spec (observedGeneration == metadata.generation),
--                and every route in status.routes is ready
--   Progressing  no Ready condition yet; Ready describes an older spec; Ready=Unknown; a route not ready;
--                Ready=False with a reason that heals by itself (Progressing, Propagating, AwsThrottled)
--   Degraded     Ready=False with a reason that needs a person (InvalidSpec, NameConflict,
--                AwsAccessDenied, DependencyNotFound, AwsError, RolloutAborted) or a reason this check does not know
-- The two lists are the operator's table of reasons (io.lambdaingress.operator.aws.Reason, healsByItself);
-- ArgoCdHealthCheckTest holds them to it.
-- Plain Lua 5.1 (Argo CD runs gopher-lua), base and string libraries only.
local hs = {}

local resolvesByItself = { Progressing = true, Propagating = true, AwsThrottled = true }
local needsAPerson = { InvalidSpec = true, NameConflict = true, AwsAccessDenied = true,
                       DependencyNotFound = true, AwsError = true, RolloutAborted = true }

local function describe(condition)
  local text = condition.reason or "NoReason"
  if condition.message ~= nil and condition.message ~= "" then
    text = text .. ": " .. condition.message
  end
  return text
end

local ready = nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the Ready condition"
  return hs
end

local generation = obj.metadata.generation
local observed = ready.observedGeneration
if observed == nil and obj.status.observedGeneration ~= nil then
  observed = obj.status.observedGeneration
end
if generation ~= nil and observed ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile generation " .. tostring(generation)
    .. " (Ready describes generation " .. tostring(observed) .. ")"
  return hs
end

if ready.status == "True" then
  -- spec.routes: Ready=True covers them; a route the status reports not ready is named.
  local routes = 0
  if obj.status.routes ~= nil then
    for _, route in ipairs(obj.status.routes) do
      if route.ready ~= true then
        hs.status = "Progressing"
        hs.message = "Waiting for route " .. tostring(route.name)
        return hs
      end
      routes = routes + 1
    end
  end
  hs.status = "Healthy"
  if obj.status.endpoint ~= nil and obj.status.endpoint ~= "" then
    hs.message = "Ready: " .. obj.status.endpoint
  else
    hs.message = "Ready"
  end
  if routes > 0 then
    hs.message = hs.message .. " (" .. tostring(routes) .. " routes)"
  end
  return hs
end

if ready.status == "False" then
  hs.message = describe(ready)
  if resolvesByItself[ready.reason] then
    hs.status = "Progressing"
  else
    hs.status = "Degraded"
    if not needsAPerson[ready.reason] then
      hs.message = hs.message .. " (a reason this health check does not know)"
    end
  end
  return hs
end

hs.status = "Progressing"
hs.message = "Ready is " .. tostring(ready.status) .. ": " .. describe(ready)
return hs
