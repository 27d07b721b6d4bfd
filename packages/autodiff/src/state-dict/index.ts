// State dicts on disk: JSON ({name: {shape, data}}) and safetensors.
export { stateDictFromJson, stateDictToJson, type JsonTensor, type StateDictFromJsonOptions } from "./json.js";
export { decodeSafetensors, encodeSafetensors, type Safetensors } from "./safetensors.js";
