/**
 * ONNX samples: {@link dev.proxima.samples.onnx.ExportCartPole} trains and exports a policy;
 * {@link dev.proxima.samples.onnx.ServePolicy} serves it with ONNX Runtime alone, without Proxima on the class path.
 */
package dev.proxima.samples.onnx;
