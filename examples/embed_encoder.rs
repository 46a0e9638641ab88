//! Embedding: your own wgpu device and command encoder, several resizes recorded into one
//! submit, results read back and checked against the CPU reference.
//!
//! `cargo run --release --example embed_encoder`

use wgpu_resample::gpu::{GpuTensor, Layout};
use wgpu_resample::{reference, Mode, Options, Resampler};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The application's own device (here: the default adapter, software if need be).
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
    let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
        power_preference: wgpu::PowerPreference::HighPerformance,
        ..Default::default()
    }))?;
    let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
        label: Some("my-engine"),
        required_limits: adapter.limits(),
        ..Default::default()
    }))?;
    println!(
        "adapter: {} ({:?})",
        adapter.get_info().name,
        adapter.get_info().backend
    );

    // Build the pipelines once, on that device.
    let resampler = Resampler::new(&device, &queue)?;

    // A 2 x 3 x 64 x 48 tensor the application already keeps on the GPU (NCHW)...
    let shape = [2, 3, 64, 48];
    let data: Vec<f32> = (0..shape.iter().product::<usize>())
        .map(|i| ((i * 37) % 101) as f32 / 100.0)
        .collect();
    let usage =
        wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
    let input = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("my-tensor"),
        size: (data.len() * 4) as u64,
        usage,
        mapped_at_creation: false,
    });
    queue.write_buffer(&input, 0, bytemuck::cast_slice(&data));
    let src = GpuTensor::new(&input, &shape);

    // ...resized three ways, recorded into the application's encoder, one submit.
    let jobs = [
        (
            Options::new(Mode::Bilinear).size([128, 96]),
            Layout::Contiguous,
        ),
        (
            Options::new(Mode::Bicubic)
                .size([20, 30])
                .antialias(true)
                .clamp(0.0, 1.0),
            Layout::ChannelsLast,
        ),
        (Options::new(Mode::Area).size([16, 12]), Layout::Contiguous),
    ];
    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("frame"),
    });
    let mut outputs = Vec::new();
    for (options, layout) in &jobs {
        let (buffer, out_shape) = resampler.output_buffer(&src, options)?;
        resampler.encode(
            &mut encoder,
            &src,
            &GpuTensor::new(&buffer, &out_shape).layout(*layout),
            options,
        )?;
        outputs.push((buffer, out_shape));
    }
    queue.submit([encoder.finish()]);

    // Read back and check.
    for ((options, layout), (buffer, out_shape)) in jobs.iter().zip(&outputs) {
        let n: usize = out_shape.iter().product();
        let bytes = resampler.read_buffer(buffer, 0, (n * 4) as u64)?;
        let got: Vec<f32> = bytemuck::cast_slice(&bytes).to_vec();
        let (want, _) = reference::interpolate(&data, &shape, options)?;
        let (c, hw) = (out_shape[1], out_shape[2] * out_shape[3]);
        let mut worst = 0.0f64;
        for (i, w) in want.iter().enumerate() {
            // NCHW index i -> position in the output's layout.
            let (b, ch, p) = (i / (c * hw), (i / hw) % c, i % hw);
            let j = match layout {
                Layout::Contiguous => i,
                Layout::ChannelsLast => (b * hw + p) * c + ch,
            };
            worst = worst.max((got[j] as f64 - w).abs());
        }
        println!(
            "{:<10} {:?} -> {:?} ({:?}): max |gpu - reference| = {worst:.2e}",
            options.mode.name(),
            shape,
            out_shape,
            layout
        );
        if worst > 1e-4 {
            return Err(format!("{} differs from the reference by {worst}", options.mode).into());
        }
    }
    println!("ok: 3 resizes in one submit match the reference");
    Ok(())
}
