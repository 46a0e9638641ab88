#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::time::Instant;
fn main() {
    let r = wgpu_resample::Resampler::new_default().unwrap();
    let (d, q) = (r.device(), r.queue());
    let n: u32 = 4 * 1024 * 1024;
    let mk = |usage| {
        d.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: n as u64 * 4,
            usage,
            mapped_at_creation: false,
        })
    };
    let (src, dst) = (
        mk(wgpu::BufferUsages::STORAGE),
        mk(wgpu::BufferUsages::STORAGE),
    );
    let ub = d.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: 256,
        usage: wgpu::BufferUsages::UNIFORM,
        mapped_at_creation: false,
    });
    let bodies = [
        ("copy", "t[i] = s[i];", 64u32, 1u32, 64u32),
        ("copy+4ssbo", "t[i] = s[i] + s[(i + 7u) & 0xffffu] + s[(i + 77u) & 0xffffu] + s[(i + 777u) & 0xffffu] + s[(i+7777u) & 0xffffu];", 64, 1, 64),
        ("copy+4shared", "sh[g.x & 63u] = f32(g.x); workgroupBarrier(); t[i] = s[i] + sh[(i + 7u) & 63u] + sh[(i + 17u) & 63u] + sh[(i + 27u) & 63u] + sh[(i + 37u) & 63u];", 64, 1, 64),
        ("copy+4private", "var pv = array<f32, 8>(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0); t[i] = s[i] + pv[i & 7u] + pv[(i + 1u) & 7u] + pv[(i + 2u) & 7u] + pv[(i + 3u) & 7u];", 64, 1, 64),
        ("copy+4uniformbuf", "t[i] = s[i] + u[(i) & 15u].x + u[(i + 1u) & 15u].y + u[(i + 2u) & 15u].z + u[(i + 3u) & 15u].w;", 64, 1, 64),
    ];
    for (name, body, wg, _k, ny) in bodies {
        let decl = if body.contains("s4") {
            "@group(0) @binding(0) var<storage, read> s4: array<vec4<f32>>;\n@group(0) @binding(1) var<storage, read_write> t4: array<vec4<f32>>;"
        } else {
            "@group(0) @binding(0) var<storage, read> s: array<f32>;\n@group(0) @binding(1) var<storage, read_write> t: array<f32>;"
        };
        let code = format!("{decl}\nvar<workgroup> sh: array<f32, 64>;\n@group(0) @binding(2) var<uniform> u: array<vec4<f32>, 16>;\n
@compute @workgroup_size({wg}) fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {{
  let i = g.x + g.y * 1024u * {wg}u; {body}
}}");
        let m = d.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: None,
            source: wgpu::ShaderSource::Wgsl(code.into()),
        });
        let p = d.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: None,
            layout: None,
            module: &m,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        let bg = d.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &p.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: src.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: dst.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: ub.as_entire_binding(),
                },
            ][..if body.contains("u[") { 3 } else { 2 }],
        });
        let mut times = vec![];
        for _ in 0..5 {
            let mut e = d.create_command_encoder(&Default::default());
            {
                let mut c = e.begin_compute_pass(&Default::default());
                c.set_pipeline(&p);
                c.set_bind_group(0, &bg, &[]);
                c.dispatch_workgroups(1024, ny, 1);
            }
            let t = Instant::now();
            q.submit([e.finish()]);
            d.poll(wgpu::PollType::wait_indefinitely()).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("{name:18}: {:.1} ms", times[2]);
    }
}
