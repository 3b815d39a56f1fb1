function load(u, id) { return fetch(u).then(r => r.text()).then(t => { document.getElementById(id).textContent = t; }); }
